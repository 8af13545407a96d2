import { z } from 'zod'
import type { Engine, Row, SqlValue } from '../../core/engines/engine.js'
import { UserError } from '../../core/errors.js'
import { answerMetricQuery, type BuildInfo, type MetricAnswer, type Provenance } from '../answer.js'
import type { Catalog } from '../catalog.js'
import { numberOrNull } from '../html/format.js'

/** `--from`, `--to` (YYYY-MM-DD) and `--by <dimension>`; without dates, the last 24 months of data. */
export const RetentionReportOptions = z
  .object({
    from: z.iso.date({ error: 'from must be a date, YYYY-MM-DD' }).optional(),
    to: z.iso.date({ error: 'to must be a date, YYYY-MM-DD' }).optional(),
    by: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, 'by must be one dimension name, e.g. segment')
      .optional(),
  })
  .refine((o) => !o.from || !o.to || o.from <= o.to, { message: 'from must not be after to', path: ['from'] })
export type RetentionReportOptions = z.infer<typeof RetentionReportOptions>

export const DEFAULT_MONTHS = 24

export interface ReportContext {
  readonly engine: Engine
  readonly catalog: Catalog
  readonly environment?: string
  readonly build?: BuildInfo
}

/** One month of the MRR bridge, every number a governed metric's value. */
export interface BridgeMonth {
  readonly period: string
  /** Closing MRR of the month before (null before the data starts). */
  readonly opening: number | null
  readonly mrr: number | null
  readonly arr: number | null
  readonly new_mrr: number | null
  readonly expansion_mrr: number | null
  readonly reactivation_mrr: number | null
  readonly contraction_mrr: number | null
  readonly churned_mrr: number | null
  readonly net_new_mrr: number | null
  readonly active_customers: number | null
  /** Active customers at the end of the month before. */
  readonly active_at_start: number | null
  readonly new_customers: number | null
  readonly churned_customers: number | null
  readonly logo_churn_rate: number | null
}

export interface RetentionMonth {
  readonly period: string
  readonly nrr: number | null
  readonly grr: number | null
}

export interface CohortRow {
  readonly cohort: string
  /** The cohort's size and starting MRR: new customers and new MRR of its first month. */
  readonly new_customers: number | null
  readonly new_mrr: number | null
  /** Retention by months since the cohort month (index 0 = the cohort month); null = not reached yet. */
  readonly retention: readonly (number | null)[]
}

export interface Breakdown {
  readonly dimension: string
  /** The dimension's values, largest MRR at the end of the range first. */
  readonly values: readonly string[]
  readonly months: readonly {
    readonly period: string
    readonly byValue: Readonly<
      Record<
        string,
        { mrr: number | null; nrr: number | null; grr: number | null; logo_churn_rate: number | null }
      >
    >
  }[]
}

/** What a metric shown in the report means, from its governed definition. */
export interface ReportDefinition {
  readonly id: string
  readonly label: string
  readonly description: string
  readonly version: string
  readonly status: string
  readonly policy: string | null
}

export interface RetentionData {
  /** First day of the first month and last day of the last month covered. */
  readonly range: { readonly from: string; readonly to: string }
  /** The latest month with any MRR or movement in the warehouse. */
  readonly latestMonthWithData: string
  readonly currency: string
  readonly bridge: readonly BridgeMonth[]
  readonly retention: readonly RetentionMonth[]
  readonly cohorts: readonly CohortRow[]
  readonly breakdown?: Breakdown
  /** Every metric the report shows, with its definition version, status and policy. */
  readonly definitions: readonly ReportDefinition[]
  readonly dialect: string
  readonly environment: string
  readonly build?: BuildInfo
}

const MOVEMENTS = ['new_mrr', 'expansion_mrr', 'reactivation_mrr', 'contraction_mrr', 'churned_mrr'] as const
const BRIDGE_METRICS = [
  'mrr',
  'arr',
  ...MOVEMENTS,
  'net_new_mrr',
  'active_customers',
  'new_customers',
  'churned_customers',
  'logo_churn_rate',
] as const

/**
 * Every number of the retention report, answered by the semantic layer (never by SQL of its
 * own): the MRR bridge, NRR/GRR, the cohort table, logo churn and an optional breakdown.
 */
export async function retentionReportData(
  context: ReportContext,
  input: RetentionReportOptions = {},
): Promise<RetentionData> {
  const parsed = RetentionReportOptions.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new UserError(`report retention: ${issue?.message ?? 'invalid options'}`)
  }
  const options = parsed.data
  const definitions: Record<string, Provenance['definitions'][string]> = {}
  const ask = async (query: Parameters<typeof answerMetricQuery>[0]): Promise<MetricAnswer> => {
    const answer = await answerMetricQuery(query, {
      engine: context.engine,
      catalog: context.catalog,
      ...(context.environment ? { environment: context.environment } : {}),
      ...(context.build ? { build: context.build } : {}),
    })
    Object.assign(definitions, answer.provenance.definitions)
    return answer
  }

  // Freshness: the latest month in which anything moved (the spine may run past the data).
  const probe = await ask({ metrics: ['mrr', ...MOVEMENTS], grain: 'month' })
  const withData = probe.rows.filter((r) =>
    ['mrr', ...MOVEMENTS].some((m) => (numberOrNull(r[m]) ?? 0) !== 0),
  )
  const latest = withData.at(-1)?.period
  if (typeof latest !== 'string') {
    throw new UserError('no MRR in the warehouse to report on', {
      hint: 'run `revops demo`, or land billing exports and run `revops build`',
    })
  }
  const toMonth = monthStart(options.to ?? latest)
  const fromMonth = monthStart(options.from ?? addMonths(toMonth, -(DEFAULT_MONTHS - 1)))
  const range = { from: fromMonth, to: options.to ?? lastDay(toMonth) }
  if (range.from > range.to) throw new UserError('report retention: from must not be after to')

  // One month more at the start gives each month its opening MRR and customers.
  const bridgeAnswer = await ask({
    metrics: [...BRIDGE_METRICS],
    grain: 'month',
    from: addMonths(fromMonth, -1),
    to: range.to,
  })
  const bridgeRows = bridgeAnswer.rows
  const bridge: BridgeMonth[] = []
  bridgeRows.forEach((row, i) => {
    const period = String(row.period)
    if (period < fromMonth) return
    const before =
      i > 0 && String(bridgeRows[i - 1]?.period) === addMonths(period, -1) ? bridgeRows[i - 1] : undefined
    const n = (name: string) => numberOrNull(row[name])
    bridge.push({
      period,
      opening: before ? numberOrNull(before.mrr) : null,
      mrr: n('mrr'),
      arr: n('arr'),
      new_mrr: n('new_mrr'),
      expansion_mrr: n('expansion_mrr'),
      reactivation_mrr: n('reactivation_mrr'),
      contraction_mrr: n('contraction_mrr'),
      churned_mrr: n('churned_mrr'),
      net_new_mrr: n('net_new_mrr'),
      active_customers: n('active_customers'),
      active_at_start: before ? numberOrNull(before.active_customers) : null,
      new_customers: n('new_customers'),
      churned_customers: n('churned_customers'),
      logo_churn_rate: n('logo_churn_rate'),
    })
  })

  const retentionAnswer = await ask({
    metrics: ['nrr', 'grr'],
    grain: 'month',
    from: range.from,
    to: range.to,
  })
  const retention = retentionAnswer.rows.map((r) => ({
    period: String(r.period),
    nrr: numberOrNull(r.nrr),
    grr: numberOrNull(r.grr),
  }))

  const cohortAnswer = await ask({
    metrics: ['cohort_revenue_retention'],
    grain: 'month',
    from: range.from,
    to: range.to,
  })
  const cohorts = cohortTable(cohortAnswer.rows, bridge)

  const breakdown = options.by ? await breakdownOf(ask, options.by, range) : undefined
  return {
    range,
    latestMonthWithData: latest,
    currency: context.catalog.config.reportingCurrency,
    bridge,
    retention,
    cohorts,
    ...(breakdown ? { breakdown } : {}),
    definitions: Object.entries(definitions).map(([id, d]) => {
      const metric = context.catalog.metric(id)
      return { id, label: metric?.label ?? id, description: metric?.description ?? '', ...d }
    }),
    dialect: context.engine.dialect.name,
    environment: bridgeAnswer.provenance.environment,
    ...(context.build ? { build: context.build } : {}),
  }
}

function cohortTable(rows: readonly Row[], bridge: readonly BridgeMonth[]): CohortRow[] {
  const byCohort = new Map<string, (number | null)[]>()
  for (const row of rows) {
    const cohort = String(row.period)
    const age = Number(row.periods_since)
    const cells = byCohort.get(cohort) ?? []
    cells[age] = numberOrNull(row.cohort_revenue_retention)
    byCohort.set(cohort, cells)
  }
  const sizes = new Map(bridge.map((b) => [b.period, b]))
  return [...byCohort]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cohort, cells]) => ({
      cohort,
      new_customers: sizes.get(cohort)?.new_customers ?? null,
      new_mrr: sizes.get(cohort)?.new_mrr ?? null,
      retention: Array.from(cells, (v) => v ?? null),
    }))
}

async function breakdownOf(
  ask: (q: Parameters<typeof answerMetricQuery>[0]) => Promise<MetricAnswer>,
  dimension: string,
  range: { from: string; to: string },
): Promise<Breakdown> {
  const answer = await ask({
    metrics: ['mrr', 'nrr', 'grr', 'logo_churn_rate'],
    dimensions: [dimension],
    grain: 'month',
    from: range.from,
    to: range.to,
  })
  const label = (v: SqlValue | undefined) => (v === null || v === undefined ? '(none)' : String(v))
  const months = new Map<string, Record<string, Breakdown['months'][number]['byValue'][string]>>()
  for (const row of answer.rows) {
    const period = String(row.period)
    const byValue = months.get(period) ?? {}
    byValue[label(row[dimension])] = {
      mrr: numberOrNull(row.mrr),
      nrr: numberOrNull(row.nrr),
      grr: numberOrNull(row.grr),
      logo_churn_rate: numberOrNull(row.logo_churn_rate),
    }
    months.set(period, byValue)
  }
  const ordered = [...months].sort(([a], [b]) => a.localeCompare(b))
  const last = ordered.at(-1)?.[1] ?? {}
  const values = [...new Set(answer.rows.map((r) => label(r[dimension])))].sort(
    (a, b) => (last[b]?.mrr ?? 0) - (last[a]?.mrr ?? 0) || a.localeCompare(b),
  )
  return { dimension, values, months: ordered.map(([period, byValue]) => ({ period, byValue })) }
}

/** `2025-03-17` → `2025-03-01`. */
export function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`
}

/** The first day of the month `n` months after the one holding `date`. */
export function addMonths(date: string, n: number): string {
  const d = new Date(`${monthStart(date)}T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() + n)
  return d.toISOString().slice(0, 10)
}

/** The last day of the month holding `date`. */
export function lastDay(date: string): string {
  const d = new Date(`${addMonths(date, 1)}T00:00:00Z`)
  d.setUTCDate(0)
  return d.toISOString().slice(0, 10)
}
