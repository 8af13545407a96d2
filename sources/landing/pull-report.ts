import type { Counts, ReasonSummary } from './land-report.js'
import type { PullStats } from './pull-retry.js'

/**
 * How a run ended: every feed done (`complete`); stopped near the Lambda deadline with its
 * progress saved (`continued`: the next run carries on); or stopped by an error (`failed`). Only a
 * complete feed moves its watermarks.
 */
export type PullStatus = 'complete' | 'continued' | 'failed'

/** `up_to_date`: the next window would be empty (pulled moments ago); `skipped`: an earlier feed stopped the run. */
export type FeedStatus = 'complete' | 'continued' | 'failed' | 'skipped' | 'up_to_date'

export interface FeedSummary {
  readonly feed: string
  readonly entities: readonly string[]
  status: FeedStatus
  window: { readonly from: string | null; readonly to: string } | null
  /** The window was opened by an earlier run and continued here. */
  resumed: boolean
  pages: number
  records: number
  error: string | null
}

export interface EntityPullSummary extends Counts {
  readonly entity: string
  watermark_before: string | null
  watermark_after: string | null
}

/** What `revops pull` and the pull Lambdas report; `--json` prints it as is. */
export interface PullSummary {
  readonly source: string
  readonly lake: string
  readonly run_id: string
  readonly started_at: string
  readonly finished_at: string
  readonly status: PullStatus
  /** Why the run failed (the first error), or why it stopped early. */
  readonly error: string | null
  readonly totals: Counts
  readonly entities: readonly EntityPullSummary[]
  readonly feeds: readonly FeedSummary[]
  readonly quarantine: readonly ReasonSummary[]
  readonly requests: PullStats
  /** Things worth knowing that are not failures (a platform not configured, objects re-fetched from events). */
  readonly notes: readonly string[]
}
