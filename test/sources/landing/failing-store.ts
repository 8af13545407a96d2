import type { Readable } from 'node:stream'
import {
  type CreateResult,
  type LakeObject,
  type LakeStore,
  LakeStoreError,
  type VersionedObject,
} from '../../../core/lake/lake-store.js'

/**
 * A lake store that fails after `writes` create-only writes, as a crash or a full disk would:
 * a real store underneath, with one injected failure (no real peer fails on cue).
 */
export class FailingStore implements LakeStore {
  private count = 0

  constructor(
    private readonly inner: LakeStore,
    private readonly writes: number,
  ) {}

  get location(): string {
    return this.inner.location
  }

  async putIfAbsent(key: string, body: Uint8Array | Readable): Promise<CreateResult> {
    this.count += 1
    if (this.count > this.writes) {
      throw new LakeStoreError(key, 'write', { cause: new Error('ENOSPC: no space left on device') })
    }
    return this.inner.putIfAbsent(key, body)
  }

  get(key: string): Promise<Buffer | undefined> {
    return this.inner.get(key)
  }

  getStream(key: string): Promise<Readable | undefined> {
    return this.inner.getStream(key)
  }

  exists(key: string): Promise<boolean> {
    return this.inner.exists(key)
  }

  list(prefix: string, options?: { pageSize?: number }): AsyncIterable<LakeObject> {
    return this.inner.list(prefix, options)
  }

  getVersioned(key: string): Promise<VersionedObject | undefined> {
    return this.inner.getVersioned(key)
  }

  putIfVersion(key: string, body: Uint8Array, expected: string | null): Promise<string> {
    return this.inner.putIfVersion(key, body, expected)
  }
}
