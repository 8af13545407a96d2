import type { Readable } from 'node:stream'
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { z } from 'zod'
import { SOURCE_DIMENSION } from '../../core/config/ops-metrics.js'
import { S3LakeStore } from '../../core/lake/s3-lake-store.js'
import { SOURCE_NAMES } from '../../sources/contract.js'
import type { LandSummary } from '../../sources/landing/land-report.js'
import { LandRun } from '../../sources/landing/land-run.js'
import { emfLine } from '../pull-common/emf.js'
import { countMetrics } from '../pull-common/pull-metrics.js'
import { type DroppedObject, droppedObjects } from './drop-event.js'

const DropEnv = z.object({
  /** The raw bucket: the lake of core/lake/layout.ts. */
  RAW_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name'),
  RAW_PREFIX: z.string().default(''),
  /** Where drops go in the landing bucket: `<prefix><source>/<file>`. */
  LANDING_PREFIX: z.string().default('landing/'),
})

export interface DropOutcome {
  readonly bucket: string
  readonly key: string
  readonly status: 'landed' | 'skipped'
  /** Why an object was skipped (not a drop, a folder marker, gone since the event). */
  readonly reason?: string
  readonly summary?: LandSummary
}

let s3: S3Client | undefined

/**
 * Lands files dropped into the landing bucket under `landing/<source>/…` (an S3 notification or
 * EventBridge "Object Created"): streams the object version the event names from S3 through the
 * same landing core as `revops land` — recognised by name, checked, enveloped, content-named
 * chunks, bad records and unknown files quarantined. Redelivery is harmless: the same content
 * finds its chunks and lands nothing twice. A drop under an unknown source, or a lake that cannot
 * be written, fails the invocation (retries, then the DLQ).
 */
export async function handler(event: unknown): Promise<{ objects: DropOutcome[] }> {
  const env = DropEnv.safeParse(process.env)
  if (!env.success) {
    const issue = env.error.issues[0]
    throw new Error(`file-drop env: ${issue?.path.join('.')}: ${issue?.message}`)
  }
  s3 ??= new S3Client({})
  const client = s3
  const store = new S3LakeStore({ client, bucket: env.data.RAW_BUCKET, prefix: env.data.RAW_PREFIX })
  const objects: DropOutcome[] = []
  for (const object of droppedObjects(event)) {
    const outcome = await landObject(client, store, object, env.data.LANDING_PREFIX)
    console.log(
      JSON.stringify({
        drop: `s3://${object.bucket}/${object.key}`,
        status: outcome.status,
        reason: outcome.reason,
        totals: outcome.summary?.totals,
      }),
    )
    // Landed and quarantined records as metrics, for the source's quarantine alarm.
    if (outcome.summary)
      console.log(
        emfLine({ [SOURCE_DIMENSION]: outcome.summary.source }, countMetrics(outcome.summary.totals)),
      )
    objects.push(outcome)
  }
  return { objects }
}

async function landObject(
  client: S3Client,
  store: S3LakeStore,
  object: DroppedObject,
  landingPrefix: string,
): Promise<DropOutcome> {
  const base = { bucket: object.bucket, key: object.key }
  const found = await open(client, object)
  if (found === undefined) return { ...base, status: 'skipped', reason: 'the object is gone' }
  const { key, body, etag } = found
  if (!key.startsWith(landingPrefix) || key.endsWith('/')) {
    body.destroy()
    return { ...base, status: 'skipped', reason: `not a file under ${landingPrefix}<source>/` }
  }
  const [sourceName, ...rest] = key.slice(landingPrefix.length).split('/')
  const source = SOURCE_NAMES.find((s) => s === sourceName)
  if (source === undefined || rest.length === 0) {
    body.destroy()
    throw new Error(
      `file-drop: ${key} is not under a source folder (${SOURCE_NAMES.map((s) => `${landingPrefix}${s}/`).join(', ')})`,
    )
  }
  const run = new LandRun(store, { source })
  // The run id names the object's content (its ETag), so a redelivery carries the same one.
  await run.landExport(
    rest.join('/'),
    body as AsyncIterable<Buffer>,
    `s3-${(etag ?? 'unknown').replace(/\W/g, '')}`,
  )
  return { ...base, key, status: 'landed', summary: await run.finish() }
}

/** The object's body stream, trying the key's other reading when the first is not there. */
async function open(
  client: S3Client,
  object: DroppedObject,
): Promise<{ key: string; body: Readable; etag: string | undefined } | undefined> {
  for (const key of [object.key, object.altKey]) {
    if (key === undefined) continue
    try {
      const response = await client.send(
        new GetObjectCommand({
          Bucket: object.bucket,
          Key: key,
          ...(object.versionId ? { VersionId: object.versionId } : {}),
        }),
      )
      if (response.Body === undefined) throw new Error(`s3://${object.bucket}/${key} has no body`)
      return { key, body: response.Body as Readable, etag: response.ETag ?? object.etag }
    } catch (error) {
      const name = (error as { name?: unknown } | null)?.name
      if (name !== 'NoSuchKey' && name !== 'NoSuchVersion' && name !== 'NotFound') throw error
    }
  }
  return undefined
}
