import type { Row } from '../core/engines/engine.js'
import type { Catalog } from '../semantic/catalog.js'

/** The KPIs of the demo's scorecard, in the order a revenue leader reads them. */
export const SCORECARD_METRICS = [
  'mrr',
  'arr',
  'nrr',
  'grr',
  'logo_churn_rate',
  'win_rate',
  'pipeline_velocity',
  'cac_payback_months',
  'mql_to_sql_rate',
] as const

export interface ScorecardLine {
  readonly metric: string
  readonly label: string
  readonly unit: string
  readonly period: string
  readonly value: number | null
  readonly previous: number | null
  /** Relative change for amounts and counts; percentage points for rates. */
  readonly change: number | null
  readonly changeUnit: 'relative' | 'points'
  readonly note?: string
}

/**
 * The latest month with MRR and the month before, per KPI. A cohort conversion rate needs its
 * window to close, so it reads the latest cohort whose window has ended.
 */
export function buildScorecard(catalog: Catalog, rows: readonly Row[]): ScorecardLine[] {
  const months = rows.filter((r) => typeof r.mrr === 'number' && r.mrr > 0).map((r) => String(r.period))
  const latest = months.at(-1)
  if (latest === undefined) return []
  const index = rows.findIndex((r) => r.period === latest)
  return SCORECARD_METRICS.map((id) => {
    const metric = catalog.metric(id)
    const lag = metric?.type === 'conversion' ? Math.ceil(metric.withinDays / 30) : 0
    const at = rows[index - lag]
    const before = rows[index - lag - 1]
    const value = numberOrNull(at?.[id])
    const previous = numberOrNull(before?.[id])
    const rate = metric?.unit === 'ratio'
    const change =
      value === null || previous === null
        ? null
        : rate
          ? value - previous
          : previous === 0
            ? null
            : (value - previous) / Math.abs(previous)
    return {
      metric: id,
      label: metric?.label ?? id,
      unit: metric?.unit ?? 'count',
      period: String(at?.period ?? latest),
      value,
      previous,
      change,
      changeUnit: rate ? 'points' : 'relative',
      ...(lag
        ? {
            note: `cohort of ${monthName(String(at?.period ?? ''))}, ${metric?.type === 'conversion' ? metric.withinDays : 0}-day window closed`,
          }
        : {}),
    }
  })
}

export function formatValue(value: number | null, unit: string, currency = 'USD'): string {
  if (value === null) return '—'
  switch (unit) {
    case 'currency':
      return money(value, currency)
    case 'currency_per_day':
      return `${money(value, currency)}/day`
    case 'ratio':
      return `${(value * 100).toFixed(1)}%`
    case 'days':
      return `${value.toFixed(0)} days`
    case 'months':
      return `${value.toFixed(1)} months`
    case 'multiple':
      return `${value.toFixed(2)}×`
    default:
      return value.toLocaleString('en-US', { maximumFractionDigits: 0 })
  }
}

export function formatChange(line: ScorecardLine): string {
  if (line.change === null) return '—'
  const sign = line.change > 0 ? '+' : line.change < 0 ? '−' : '±'
  const size = Math.abs(line.change) * 100
  return line.changeUnit === 'points' ? `${sign}${size.toFixed(1)} pts` : `${sign}${size.toFixed(1)}%`
}

export function monthName(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`)
  return Number.isNaN(d.getTime())
    ? isoDate
    : d.toLocaleDateString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' })
}

function money(value: number, currency: string): string {
  return value.toLocaleString('en-US', { style: 'currency', currency, maximumFractionDigits: 0 })
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}
