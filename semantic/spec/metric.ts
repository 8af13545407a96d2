import { z } from 'zod'
import { Condition } from './semantic-model.js'

const Identifier = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower_snake_case')
/** `model.measure`, e.g. `customer_mrr.mrr`. */
export const MeasureRef = z.string().regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, 'must be <model>.<measure>')

/** A trailing window ending at each period's end (`{ count: 12, unit: 'month' }`). */
export const Window = z.object({ count: z.number().int().positive(), unit: z.enum(['day', 'month']) })
export type Window = z.infer<typeof Window>

const MeasureInput = z.object({ measure: MeasureRef, where: z.array(Condition).default([]) })
export type MeasureInput = z.infer<typeof MeasureInput>

/** Each metric type, as plain data. Division is always null-safe (x ÷ 0 is null). */
export const MetricKind = z.discriminatedUnion('type', [
  /** One measure aggregated per period, optionally over a trailing window. */
  z.object({ type: z.literal('simple'), ...MeasureInput.shape, window: Window.optional() }),
  /** Σ numerator ÷ Σ denominator at the query's grain: a ratio of sums, never an average of ratios. */
  z.object({
    type: z.literal('ratio'),
    numerator: MeasureInput,
    denominator: MeasureInput,
    window: Window.optional(),
  }),
  /**
   * A formula over other metrics: `+ - * /`, numbers, `abs(x)`, `lag(x[, n])` (n periods back),
   * `rolling_avg(x, n)` (mean of the last n periods), `trailing(x, n, month|day)` (x over a trailing window).
   */
  z.object({ type: z.literal('derived'), formula: z.string().min(1) }),
  /** A metric compared with itself `offset` periods earlier. */
  z.object({
    type: z.literal('period_over_period'),
    metric: Identifier,
    offset: z.number().int().positive().default(1),
    comparison: z.enum(['growth', 'difference', 'previous']),
  }),
  /**
   * Trailing retention of a balance: over entities with balance > 0 `lookbackMonths` before
   * each period's end, Σ balance now ÷ Σ balance then (`net`) or Σ min(now, then) ÷ Σ then (`gross`).
   */
  z.object({
    type: z.literal('retention'),
    balance: MeasureRef,
    entity: Identifier,
    lookbackMonths: z.number().int().positive(),
    kind: z.enum(['net', 'gross']),
  }),
  /**
   * Cohort table of a balance: rows by cohort period (the entity's first period with balance > 0)
   * and `periods_since`; value = cohort balance at that age ÷ the cohort's first-period balance.
   */
  z.object({ type: z.literal('cohort'), balance: MeasureRef, entity: Identifier, cohortTime: Identifier }),
  /** Of entities with a base event in the period, the share with a conversion event within `withinDays`. */
  z.object({
    type: z.literal('conversion'),
    base: MeasureInput,
    conversion: MeasureInput,
    entity: Identifier,
    withinDays: z.number().int().positive(),
  }),
])
export type MetricKind = z.infer<typeof MetricKind>

export const METRIC_UNITS = [
  'currency',
  'currency_per_day',
  'ratio',
  'count',
  'days',
  'months',
  'multiple',
] as const

/** Governance every metric carries (CONTRACT.md: `revops metrics` lists it). */
export const Governance = z.object({
  id: Identifier,
  label: z.string().min(1),
  owner: z.enum(['finance', 'sales', 'marketing', 'customer_success', 'revops']),
  /** What it means, with its window, denominator and lag where it has them. */
  description: z.string().min(20, 'say what it means: window, denominator and lag'),
  unit: z.enum(METRIC_UNITS),
  status: z.enum(['certified', 'draft', 'deprecated']),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'semantic version, e.g. 1.0.0'),
  /** The revenue policy the number depends on (e.g. `mrr-policy v1`), if any. */
  policy: z.string().optional(),
  /** Empty periods: 0 for amounts and counts, null for rates (a rate with no denominator is unknown). */
  fill: z.enum(['zero', 'null']),
  /** Dimensions shown in the governed BI view (month grain) besides the period. */
  viewDimensions: z.array(Identifier).default([]),
})

export const Metric = z.intersection(Governance, MetricKind)
export type Metric = z.infer<typeof Metric>
export type MetricInput = z.input<typeof Metric>

export function defineMetric(input: MetricInput): Metric {
  const parsed = Metric.safeParse(input)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'metric'}: ${i.message}`)
    throw new Error(`metric ${String(input.id)}: ${problems.join('; ')}`)
  }
  return parsed.data
}
