import { z } from 'zod'

/** One object a drop event announces. */
export interface DroppedObject {
  readonly bucket: string
  /** The key as S3 stores it (decoded). */
  readonly key: string
  readonly versionId: string | undefined
  readonly etag: string | undefined
  /** Another reading of the key, tried when the first is not found (encodings differ by channel). */
  readonly altKey: string | undefined
}

/** An S3 event notification (direct, or through SNS/SQS unwrapped to it). */
const S3Notification = z.object({
  Records: z
    .array(
      z.looseObject({
        eventName: z.string().optional(),
        s3: z.looseObject({
          bucket: z.looseObject({ name: z.string().min(1) }),
          object: z.looseObject({
            key: z.string().min(1),
            versionId: z.string().optional(),
            eTag: z.string().optional(),
          }),
        }),
      }),
    )
    .min(1),
})

/** EventBridge's "Object Created" event of a bucket with EventBridge notifications on. */
const ObjectCreated = z.looseObject({
  source: z.literal('aws.s3'),
  'detail-type': z.literal('Object Created'),
  detail: z.looseObject({
    bucket: z.looseObject({ name: z.string().min(1) }),
    object: z.looseObject({
      key: z.string().min(1),
      'version-id': z.string().optional(),
      etag: z.string().optional(),
    }),
  }),
})

/** S3 notifications URL-encode keys (spaces as "+"). */
function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '))
  } catch {
    return key
  }
}

/** The objects of an S3 notification or an EventBridge "Object Created" event; a one-line error otherwise. */
export function droppedObjects(event: unknown): DroppedObject[] {
  const bridged = ObjectCreated.safeParse(event)
  if (bridged.success) {
    const { bucket, object } = bridged.data.detail
    const decoded = decodeKey(object.key)
    return [
      {
        bucket: bucket.name,
        key: object.key,
        versionId: object['version-id'],
        etag: object.etag,
        altKey: decoded === object.key ? undefined : decoded,
      },
    ]
  }
  const notified = S3Notification.safeParse(event)
  if (notified.success) {
    return notified.data.Records.filter(
      (r) => r.eventName === undefined || r.eventName.startsWith('ObjectCreated:'),
    ).map((r) => ({
      bucket: r.s3.bucket.name,
      key: decodeKey(r.s3.object.key),
      versionId: r.s3.object.versionId,
      etag: r.s3.object.eTag,
      altKey: undefined,
    }))
  }
  throw new Error('file-drop: not an S3 notification or an EventBridge "Object Created" event')
}
