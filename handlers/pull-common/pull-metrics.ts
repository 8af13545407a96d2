import { INGEST_METRICS } from '../../core/config/ops-metrics.js'
import type { Counts } from '../../sources/landing/land-report.js'
import type { PullSummary } from '../../sources/landing/pull-report.js'
import type { EmfMetric } from './emf.js'

/** The counts of a pull or a file drop, as metrics. */
export function countMetrics(totals: Counts): EmfMetric[] {
  return [
    { name: INGEST_METRICS.landed, value: totals.landed, unit: 'Count' },
    { name: INGEST_METRICS.duplicate, value: totals.duplicate, unit: 'Count' },
    { name: INGEST_METRICS.quarantined, value: totals.quarantined, unit: 'Count' },
  ]
}

/**
 * The age of the stalest watermark after a pull: `now` minus the oldest `watermark_after`.
 * Watermarks move to the end of each completed window (now minus the safety lag), so a source
 * that is pulled on time stays near its lag even when nothing changed. Undefined when no entity
 * has a watermark yet (the first pull has not completed): then no lag is written, and the lag
 * alarm, which treats missing data as breaching, still fires if that lasts.
 */
export function watermarkLagSeconds(summary: PullSummary, now: Date): number | undefined {
  const marks = summary.entities
    .map((e) => (e.watermark_after === null ? Number.NaN : Date.parse(e.watermark_after)))
    .filter((t) => Number.isFinite(t))
  if (marks.length === 0) return undefined
  return Math.max(0, Math.round((now.getTime() - Math.min(...marks)) / 1000))
}

/** What one pull reports to CloudWatch. */
export function pullMetrics(summary: PullSummary, now: Date): EmfMetric[] {
  const lag = watermarkLagSeconds(summary, now)
  return [
    ...countMetrics(summary.totals),
    { name: INGEST_METRICS.pullFailed, value: summary.status === 'failed' ? 1 : 0, unit: 'Count' },
    ...(lag === undefined
      ? []
      : [{ name: INGEST_METRICS.watermarkLag, value: lag, unit: 'Seconds' as const }]),
  ]
}
