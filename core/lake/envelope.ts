import { z } from 'zod'

/**
 * One landed record. The vendor's record travels untouched as JSON text in `payload`, so a vendor
 * schema change can never break the lake; staging parses it. Staging keeps the latest version per
 * `_id` by `_updated_at` (then `_ingested_at`), and drops nothing silently: deletes arrive as
 * `_deleted = true`.
 */
export const Envelope = z.object({
  /** The vendor's primary key of the record. */
  _id: z.string().min(1),
  _source: z.string().min(1),
  _entity: z.string().min(1),
  /** When the lake received the record (ISO-8601 UTC). */
  _ingested_at: z.iso.datetime(),
  /** The land or pull run that wrote it (deterministic for file drops: derived from the file's content). */
  _run_id: z.string().min(1),
  _deleted: z.boolean(),
  /** The vendor's cursor (last-modified) as ISO-8601 UTC; null when the vendor has none. */
  _updated_at: z.iso.datetime().nullable(),
  /** The vendor record as JSON text. */
  payload: z.string(),
})
export type Envelope = z.infer<typeof Envelope>

/** The envelope's columns and their portable types, in file order (for DuckDB readers and Glue tables). */
export const ENVELOPE_COLUMNS = [
  { name: '_id', type: 'varchar' },
  { name: '_source', type: 'varchar' },
  { name: '_entity', type: 'varchar' },
  { name: '_ingested_at', type: 'timestamp' },
  { name: '_run_id', type: 'varchar' },
  { name: '_deleted', type: 'boolean' },
  { name: '_updated_at', type: 'timestamp' },
  { name: 'payload', type: 'varchar' },
] as const satisfies readonly { name: keyof Envelope; type: string }[]

/** The partition column that the key layout adds (`ingest_date=YYYY-MM-DD`). */
export const ENVELOPE_PARTITION = { name: 'ingest_date', type: 'date' } as const
