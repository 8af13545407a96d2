import { ChunkedWriter, type ChunkLimits, type ChunkOutcome } from './chunked-writer.js'
import type { Envelope } from './envelope.js'
import type { LakeStore } from './lake-store.js'
import { ingestDateOf, rawKey } from './layout.js'

/** The part of an envelope that comes from the record; the writer adds source, entity, run and time. */
export type RawRecord = Pick<Envelope, '_id' | '_updated_at' | '_deleted' | 'payload'>

export const DEFAULT_RAW_CHUNK: ChunkLimits = { records: 50_000, size: 128 * 1024 * 1024 }

export interface RawWriterOptions {
  readonly source: string
  readonly entity: string
  readonly runId: string
  /** When the lake received the records: `_ingested_at`, and the `ingest_date` of new objects. */
  readonly ingestedAt: Date
  readonly limits?: ChunkLimits
  readonly onChunk?: (outcome: ChunkOutcome) => void
}

/**
 * Writes one entity's envelopes to raw/ as gzip JSON lines. An object's name hashes what its
 * records are (id, cursor, deleted flag, payload) and nothing about the run, so landing the same
 * records again, from the same file or a copy, on any day, finds the object and writes nothing.
 */
export class RawWriter {
  private readonly writer: ChunkedWriter
  private readonly middle: string

  constructor(store: LakeStore, options: RawWriterOptions) {
    const ingestDate = ingestDateOf(options.ingestedAt)
    this.writer = new ChunkedWriter(store, {
      seed: `revops-raw-v1\u0000${options.source}\u0000${options.entity}\u0000`,
      keyFor: (name) => rawKey(options.source, options.entity, ingestDate, name),
      landedAt: options.ingestedAt,
      limits: options.limits ?? DEFAULT_RAW_CHUNK,
      ...(options.onChunk ? { onChunk: options.onChunk } : {}),
    })
    // The envelope's constant fields, pre-serialized once; field order follows ENVELOPE_COLUMNS.
    this.middle = [
      `"_source":${JSON.stringify(options.source)}`,
      `"_entity":${JSON.stringify(options.entity)}`,
      `"_ingested_at":${JSON.stringify(options.ingestedAt.toISOString())}`,
      `"_run_id":${JSON.stringify(options.runId)}`,
    ].join(',')
  }

  async add(record: RawRecord): Promise<void> {
    const id = JSON.stringify(record._id)
    const updatedAt = record._updated_at === null ? 'null' : JSON.stringify(record._updated_at)
    const payload = JSON.stringify(record.payload)
    const line = `{"_id":${id},${this.middle},"_deleted":${record._deleted},"_updated_at":${updatedAt},"payload":${payload}}`
    await this.writer.add(line, `${id}\u0000${updatedAt}\u0000${record._deleted}\u0000${payload}`)
  }

  async flush(): Promise<void> {
    await this.writer.flush()
  }

  get written(): readonly ChunkOutcome[] {
    return this.writer.written
  }
}
