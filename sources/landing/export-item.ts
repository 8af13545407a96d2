/** One record read from an export (or handed over by an API pull), before its contract is checked. */
export interface RecordItem {
  readonly kind: 'record'
  /** 1-based line where the record starts (for a pull: its position in the stream). */
  readonly line: number
  readonly value: unknown
  /** The record's text as read, for quarantine. */
  readonly raw: string
  /** The vendor's JSON text, stored as the payload as is; undefined for CSV rows (payload = typed record). */
  readonly payload: string | undefined
  /**
   * The record's `_updated_at` when the pull knows it better than the record does (a Stripe object
   * re-fetched because of an event carries the event's time); ISO-8601 UTC.
   */
  readonly cursor?: string
}

/** A line or row that is not valid JSON / CSV; the rest of the file is still read. */
export interface MalformedItem {
  readonly kind: 'malformed'
  readonly line: number
  readonly reason: string
  readonly raw: string
}

export type ExportItem = RecordItem | MalformedItem

/** The file cannot be read past `line` (truncated gzip, broken JSON array); what came before stands. */
export class UnreadableFileError extends Error {
  override readonly name = 'UnreadableFileError'
  constructor(
    readonly line: number | null,
    reason: string,
    /** Text read since the last complete record, kept in quarantine. */
    readonly partial: string | null = null,
  ) {
    super(reason)
  }
}
