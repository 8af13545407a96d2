import { Readable } from 'node:stream'
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import {
  type CreateResult,
  checkKey,
  checkPrefix,
  type LakeObject,
  type LakeStore,
  LakeStoreError,
  StateConflictError,
  type VersionedObject,
} from './lake-store.js'

export interface S3LakeStoreOptions {
  readonly client: S3Client
  readonly bucket: string
  /** Folder inside the bucket that holds the lake (`lake/`); empty for the bucket root. */
  readonly prefix?: string
  /** Bodies above this size (and all streams) go through a multipart `Upload`. */
  readonly multipartThreshold?: number
}

const DEFAULT_MULTIPART_THRESHOLD = 16 * 1024 * 1024

/**
 * The lake as an S3 bucket, with the same keys as the local folder.
 *
 * Create-only writes send `If-None-Match: *` (S3 answers 412 when the key exists: "already
 * landed", a success); state writes send `If-Match: <etag>` (or `If-None-Match: *` for the first
 * write). Each write is also preceded by a HEAD that checks the same condition client-side, so
 * the store behaves the same on S3-compatible servers that ignore conditional headers (s3rver
 * does); only real S3 closes the race between two concurrent writers.
 *
 * For streamed uploads the client should be built with `requestChecksumCalculation:
 * 'WHEN_REQUIRED'` when it talks to anything but real S3 (s3rver stores aws-chunked bodies as is).
 */
export class S3LakeStore implements LakeStore {
  readonly location: string
  private readonly client: S3Client
  private readonly bucket: string
  private readonly prefix: string
  private readonly multipartThreshold: number

  constructor(options: S3LakeStoreOptions) {
    this.client = options.client
    this.bucket = options.bucket
    const prefix = options.prefix ?? ''
    this.prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`
    if (this.prefix !== '') checkKey(this.prefix.slice(0, -1))
    this.multipartThreshold = options.multipartThreshold ?? DEFAULT_MULTIPART_THRESHOLD
    this.location = `s3://${this.bucket}/${this.prefix}`
  }

  async putIfAbsent(key: string, body: Uint8Array | Readable): Promise<CreateResult> {
    const Key = this.key(key)
    try {
      if ((await this.head(Key)) !== undefined) {
        if (body instanceof Readable) body.destroy()
        return 'exists'
      }
      const params = { Bucket: this.bucket, Key, Body: body, IfNoneMatch: '*', ContentType: contentType(key) }
      if (body instanceof Readable || body.byteLength > this.multipartThreshold) {
        await new Upload({ client: this.client, params }).done()
      } else {
        await this.client.send(new PutObjectCommand(params))
      }
      return 'created'
    } catch (error) {
      if (httpStatus(error) === 412) return 'exists'
      // 409: a concurrent conditional write to the same key; whoever finished owns the key.
      if (httpStatus(error) === 409 && (await this.head(Key).catch(() => undefined)) !== undefined) {
        return 'exists'
      }
      throw new LakeStoreError(key, 'write', { cause: error })
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    return (await this.getWithVersion(key))?.body
  }

  async getStream(key: string): Promise<Readable | undefined> {
    const Key = this.key(key)
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }))
      // In Node the SDK's body is a Readable (with the SDK's helper methods mixed in).
      return response.Body instanceof Readable ? response.Body : undefined
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw new LakeStoreError(key, 'read', { cause: error })
    }
  }

  async exists(key: string): Promise<boolean> {
    const Key = this.key(key)
    try {
      return (await this.head(Key)) !== undefined
    } catch (error) {
      throw new LakeStoreError(key, 'read', { cause: error })
    }
  }

  async *list(prefix: string, options?: { pageSize?: number }): AsyncIterable<LakeObject> {
    const Prefix = this.prefix + checkPrefix(prefix)
    const pages = paginateListObjectsV2(
      { client: this.client, ...(options?.pageSize ? { pageSize: options.pageSize } : {}) },
      { Bucket: this.bucket, Prefix },
    )
    try {
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          if (object.Key === undefined) continue
          yield { key: object.Key.slice(this.prefix.length), size: object.Size ?? 0 }
        }
      }
    } catch (error) {
      throw new LakeStoreError(prefix, 'list', { cause: error })
    }
  }

  async getVersioned(key: string): Promise<VersionedObject | undefined> {
    return this.getWithVersion(key)
  }

  async putIfVersion(key: string, body: Uint8Array, expected: string | null): Promise<string> {
    const Key = this.key(key)
    let current: string | undefined
    try {
      current = (await this.head(Key))?.etag
    } catch (error) {
      throw new LakeStoreError(key, 'read', { cause: error })
    }
    if ((current ?? null) !== expected) throw new StateConflictError(key)
    try {
      const response = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key,
          Body: body,
          ContentType: contentType(key),
          ...(expected === null ? { IfNoneMatch: '*' } : { IfMatch: expected }),
        }),
      )
      if (response.ETag === undefined) throw new Error('S3 returned no ETag')
      return response.ETag
    } catch (error) {
      if (httpStatus(error) === 412 || httpStatus(error) === 409) throw new StateConflictError(key)
      throw new LakeStoreError(key, 'write', { cause: error })
    }
  }

  private async getWithVersion(key: string): Promise<VersionedObject | undefined> {
    const Key = this.key(key)
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }))
      if (response.Body === undefined) throw new Error('S3 returned no body')
      const body = Buffer.from(await response.Body.transformToByteArray())
      return { body, version: response.ETag ?? '' }
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw new LakeStoreError(key, 'read', { cause: error })
    }
  }

  private async head(Key: string): Promise<{ etag: string } | undefined> {
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }))
      return { etag: response.ETag ?? '' }
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw error
    }
  }

  private key(key: string): string {
    return this.prefix + checkKey(key)
  }
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name
  return name === 'NoSuchKey' || name === 'NotFound' || httpStatus(error) === 404
}

function contentType(key: string): string {
  if (key.endsWith('.gz')) return 'application/gzip'
  if (key.endsWith('.json')) return 'application/json'
  return 'application/octet-stream'
}
