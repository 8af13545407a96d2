import { z } from 'zod'
import { ChunkedWriter, type ChunkLimits, type ChunkOutcome } from './chunked-writer.js'
import type { LakeStore } from './lake-store.js'
import { ingestDateOf, quarantineKey } from './layout.js'

/** Why a record (or a whole file) did not land. */
export const REASON_CLASSES = [
  /** The file's name matches no entity of the source. */
  'unknown_file',
  /** The file could not be read to its end (truncated gzip, broken JSON array, unclosed CSV quote). */
  'unreadable_file',
  /** One line or row is not valid JSON / CSV. */
  'malformed_record',
  /** The record lacks a field its contract requires. */
  'missing_field',
  /** A field has the wrong type or an invalid value. */
  'invalid_field',
] as const
export const ReasonClass = z.enum(REASON_CLASSES)
export type ReasonClass = z.infer<typeof ReasonClass>

/** One line of a quarantine object: what failed, where, why, and the input itself so nothing is lost. */
export const QuarantineRecord = z.object({
  _source: z.string().min(1),
  _entity: z.string().nullable(),
  _file: z.string(),
  /** 1-based line where the record starts; null for a whole-file problem. */
  _line: z.number().int().positive().nullable(),
  _reason_class: ReasonClass,
  _reason: z.string(),
  _field: z.string().nullable(),
  _ingested_at: z.iso.datetime(),
  _run_id: z.string(),
  /** The record's text as read (null when the problem is the whole file). */
  raw: z.string().nullable(),
})
export type QuarantineRecord = z.infer<typeof QuarantineRecord>

export type QuarantineEntry = Omit<QuarantineRecord, '_source' | '_ingested_at'>

const QUARANTINE_CHUNK: ChunkLimits = { records: 10_000, size: 32 * 1024 * 1024 }

/** Writes a source's rejected records to quarantine/, content-named and exactly once like raw/. */
export class QuarantineWriter {
  private readonly writer: ChunkedWriter
  private readonly ingestedAt: string

  constructor(
    store: LakeStore,
    private readonly options: {
      readonly source: string
      readonly ingestedAt: Date
      readonly limits?: ChunkLimits
    },
  ) {
    const ingestDate = ingestDateOf(options.ingestedAt)
    this.ingestedAt = options.ingestedAt.toISOString()
    this.writer = new ChunkedWriter(store, {
      seed: `revops-quarantine-v1\u0000${options.source}\u0000`,
      keyFor: (name) => quarantineKey(options.source, ingestDate, name),
      landedAt: options.ingestedAt,
      limits: options.limits ?? QUARANTINE_CHUNK,
    })
  }

  async add(entry: QuarantineEntry): Promise<void> {
    const record: QuarantineRecord = { _source: this.options.source, _ingested_at: this.ingestedAt, ...entry }
    const { _ingested_at, ...identity } = record
    await this.writer.add(JSON.stringify(record), JSON.stringify(identity))
  }

  async flush(): Promise<void> {
    await this.writer.flush()
  }

  get written(): readonly ChunkOutcome[] {
    return this.writer.written
  }
}
