import type { PullWindow } from './pull-state.js'

/** A JSON value: what a feed may keep as its resume cursor in the pull state. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

/** One vendor record as a pull hands it to the landing core. */
export interface PulledRecord {
  /** The entity (contract) the record belongs to. */
  readonly entity: string
  /** The record as the vendor returned it; its JSON text becomes the payload. */
  readonly value: unknown
  /**
   * Where the record sits in vendor time (its cursor, or the event that announced it), ISO-8601
   * UTC; records near the end of a window are remembered so the next window's overlap does not
   * land them again. null when the record has no place in time.
   */
  readonly position: string | null
  /** Overrides `_updated_at` (see RecordItem.cursor). */
  readonly cursor?: string
}

/** One page of a feed and where the feed continues after it (null: the window is done). */
export interface PulledPage {
  readonly records: readonly PulledRecord[]
  readonly next: Json | null
}

/**
 * One incremental stream of a source: a vendor list or change feed read window by window. The
 * runner (PullRun) owns windows, checkpoints, landing and watermarks; a feed only turns a window
 * and a resume cursor into pages, with keyset cursors that stay valid across runs.
 */
export interface PullFeed {
  /** lower_snake_case; names the feed's state (`state/pull/<source>/<name>.json`). */
  readonly name: string
  /** Entities whose watermarks start the feed's windows and advance when a window is done. */
  readonly entities: readonly string[]
  /** Start a new window from the beginning, whatever the watermarks say (backfills, full refreshes). */
  readonly fromBeginning?: boolean
  /** Start of a new window from the oldest watermark (default: that minus the overlap; null: none). */
  readonly windowFrom?: (oldest: Date | null, now: Date) => Date | null
  /** End of a new window (default: now minus the safety lag). */
  readonly windowTo?: (now: Date) => Date
  /**
   * Other feeds of the source whose latest records this feed's overlap reads again (a change feed
   * after a backfill): their tails count as landed too.
   */
  readonly relatedFeeds?: readonly string[]
  /** Pages landed together in one checkpoint at most (default: as many as fit the record batch). */
  readonly pagesPerCheckpoint?: number
  /** The pages of `window`, starting after `resume` (null: at the window's start). */
  pages(window: PullWindow, resume: Json | null): AsyncIterable<PulledPage>
}
