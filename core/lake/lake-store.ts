import type { Readable } from 'node:stream'

/** What a create-only write did: wrote the object, or found it already there (a re-run, never an error). */
export type CreateResult = 'created' | 'exists'

export interface LakeObject {
  readonly key: string
  readonly size: number
}

export interface VersionedObject {
  readonly body: Buffer
  /** Opaque; pass it back to `putIfVersion` to write only if nobody wrote in between. */
  readonly version: string
}

/**
 * The lake's storage: a local folder or an S3 bucket, with the same keys (core/lake/layout.ts).
 * raw/ and quarantine/ objects are create-only (never overwritten, so a re-run cannot change what
 * landed); state/ objects are small documents updated with optimistic concurrency.
 */
export interface LakeStore {
  /** Where the lake lives, for messages (`/path/to/lake`, `s3://bucket/prefix`). */
  readonly location: string
  /** Writes `key` only if it does not exist yet. A stream body is consumed only when it is written. */
  putIfAbsent(key: string, body: Uint8Array | Readable): Promise<CreateResult>
  get(key: string): Promise<Buffer | undefined>
  getStream(key: string): Promise<Readable | undefined>
  exists(key: string): Promise<boolean>
  /** Every key that starts with `prefix`, in byte order, fetched page by page. */
  list(prefix: string, options?: { pageSize?: number }): AsyncIterable<LakeObject>
  getVersioned(key: string): Promise<VersionedObject | undefined>
  /**
   * Writes `key` only if its current version is `expected` (`null`: only if it does not exist).
   * Returns the new version; throws `StateConflictError` when someone else wrote first.
   */
  putIfVersion(key: string, body: Uint8Array, expected: string | null): Promise<string>
}

/** A conditional state write lost the race: re-read, re-decide, retry. */
export class StateConflictError extends Error {
  override readonly name = 'StateConflictError'
  constructor(readonly key: string) {
    super(`state ${key} was changed by another writer`)
  }
}

/** The storage itself failed (disk full, permissions, network): the run stops and can be re-run. */
export class LakeStoreError extends Error {
  override readonly name = 'LakeStoreError'
  constructor(
    readonly key: string,
    readonly operation: string,
    options: { cause: unknown },
  ) {
    super(
      `lake ${operation} of ${key} failed: ${options.cause instanceof Error ? options.cause.message : String(options.cause)}`,
      options,
    )
  }
}

// Segments may not start with "." (the local store keeps its temp, lock and version files there)
// and may not be empty, so a key can never climb out of the lake or hit a store's own files.
const SEGMENT = /^[A-Za-z0-9_=-][A-Za-z0-9._=-]*$/

/** Rejects keys that are not plain relative paths of safe segments (a bug, not user input). */
export function checkKey(key: string): string {
  if (!key.split('/').every((segment) => SEGMENT.test(segment))) {
    throw new Error(`invalid lake key: ${JSON.stringify(key)}`)
  }
  return key
}

/** A listing prefix: a key, a key's beginning, or empty (the whole lake). */
export function checkPrefix(prefix: string): string {
  if (prefix === '') return prefix
  const segments = prefix.split('/')
  const last = segments.pop() ?? ''
  if (!segments.every((s) => SEGMENT.test(s)) || !(last === '' || SEGMENT.test(last))) {
    throw new Error(`invalid lake prefix: ${JSON.stringify(prefix)}`)
  }
  return prefix
}
