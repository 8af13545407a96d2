import { GzipJsonlChunk } from './gzip-jsonl-chunk.js'
import type { LakeStore } from './lake-store.js'
import { writeOnce } from './write-once.js'

export interface ChunkLimits {
  /** Records per object; changing it renames every object, so keep it fixed for a lake. */
  readonly records: number
  /** Uncompressed characters per object, which bounds memory for very large records. */
  readonly size: number
}

export interface ChunkOutcome {
  readonly key: string
  readonly records: number
  readonly result: 'created' | 'exists'
}

/**
 * Splits a stream of JSON lines into gzip objects named by content (see GzipJsonlChunk) and writes
 * each exactly once (see writeOnce). Boundaries depend only on the records, so the same input
 * always gives the same objects.
 */
export class ChunkedWriter {
  private chunk: GzipJsonlChunk | undefined
  private readonly outcomes: ChunkOutcome[] = []

  constructor(
    private readonly store: LakeStore,
    private readonly options: {
      readonly seed: string
      readonly keyFor: (fileName: string) => string
      readonly landedAt: Date
      readonly limits: ChunkLimits
      readonly onChunk?: (outcome: ChunkOutcome) => void
    },
  ) {}

  async add(line: string, identity: string): Promise<void> {
    this.chunk ??= new GzipJsonlChunk(this.options.seed)
    await this.chunk.add(line, identity)
    if (this.chunk.records >= this.options.limits.records || this.chunk.size >= this.options.limits.size) {
      await this.flush()
    }
  }

  /** Writes the open chunk, if any. Everything added before returns is in the lake afterwards. */
  async flush(): Promise<void> {
    const chunk = this.chunk
    this.chunk = undefined
    if (chunk === undefined || chunk.records === 0) return
    const { body, digest, records } = await chunk.finish()
    const { result, key } = await writeOnce(
      this.store,
      this.options.keyFor(`${digest.slice(0, 32)}.jsonl.gz`),
      body,
      {
        records,
        landedAt: this.options.landedAt,
      },
    )
    const outcome = { key, records, result }
    this.outcomes.push(outcome)
    this.options.onChunk?.(outcome)
  }

  /** What every flushed chunk did. */
  get written(): readonly ChunkOutcome[] {
    return this.outcomes
  }
}
