import type { Grain } from '../spec/grain.js'
import type { Window } from '../spec/metric.js'
import type { Condition, Measure, TimeSemantics } from '../spec/semantic-model.js'

/**
 * The logical plan of a metric query: frozen plain data, JSON-serialisable and free of any
 * dialect, so it can be snapshotted and rendered for DuckDB or Athena alike.
 */

/** A column of a joined table; alias `f` is the fact table, `j1`, `j2`… its many-to-one joins. */
export interface ColumnRef {
  readonly alias: string
  readonly column: string
}

export interface JoinStep {
  readonly alias: string
  readonly table: string
  readonly fromAlias: string
  readonly fromColumn: string
  readonly toColumn: string
}

export interface RowCondition {
  readonly target: ColumnRef
  readonly op: Condition['op']
  readonly value?: Condition['value']
  /** A query's filter values travel as parameters; a definition's values are written as literals. */
  readonly from: 'definition' | 'query'
}

/** A fact table with the joins that bring in the query's dimensions and filter columns. */
export interface SourcePlan {
  readonly table: string
  readonly joins: readonly JoinStep[]
  readonly dimensions: readonly { readonly name: string; readonly ref: ColumnRef }[]
  readonly where: readonly RowCondition[]
}

export interface AggregateSeries {
  readonly kind: 'aggregate'
  readonly id: string
  readonly source: SourcePlan
  readonly agg: Measure['agg']
  readonly column?: string
  readonly time: string
  /** The grain of the time column (snapshot tables: the snapshot period). */
  readonly timeGrain: Grain
  readonly semantics: TimeSemantics
  readonly periodColumn?: string
  readonly window?: Window
}

export interface RetentionSeries {
  readonly kind: 'retention'
  readonly id: string
  /** The balance's fact table; dimensions come through the entity's own model. */
  readonly source: SourcePlan
  readonly entityColumn: string
  readonly balanceColumn: string
  readonly time: string
  readonly timeGrain: Grain
  readonly lookbackMonths: number
  readonly retention: 'net' | 'gross'
}

export interface ConversionSeries {
  readonly kind: 'conversion'
  readonly id: string
  readonly base: { readonly source: SourcePlan; readonly time: string; readonly entityColumn: string }
  readonly conversion: {
    readonly table: string
    readonly time: string
    readonly entityColumn: string
    readonly where: readonly RowCondition[]
  }
  readonly withinDays: number
}

export type SeriesPlan = AggregateSeries | RetentionSeries | ConversionSeries

/** An expression over the query frame (one row per period × dimension values). */
export type ValueExpr =
  | { readonly kind: 'series'; readonly series: string; readonly emptyIsZero: boolean }
  | { readonly kind: 'value'; readonly value: string; readonly lag?: number; readonly rollingAvg?: number }
  | { readonly kind: 'number'; readonly value: number }
  | {
      readonly kind: 'binary'
      readonly op: '+' | '-' | '*' | '/'
      readonly left: ValueExpr
      readonly right: ValueExpr
    }
  | { readonly kind: 'negate'; readonly arg: ValueExpr }
  | { readonly kind: 'abs'; readonly arg: ValueExpr }

/** One metric's values over the frame (metrics evaluated over a trailing window get their own). */
export interface ValuePlan {
  readonly id: string
  readonly metric: string
  readonly expr: ValueExpr
  readonly fill: 'zero' | 'null'
}

export interface PeriodRange {
  /** First period returned (a period start), if bounded. */
  readonly from?: string
  /** Last day whose period is returned, if bounded. */
  readonly to?: string
  /** Periods computed before `from` so lags and rolling averages see history. */
  readonly lookbackPeriods: number
}

export interface MetricQueryPlan {
  readonly kind: 'metric_query'
  readonly grain: Grain
  readonly fiscalYearStartMonth: number
  readonly spine: { readonly table: string; readonly column: string }
  readonly range: PeriodRange
  readonly dimensions: readonly string[]
  readonly series: readonly SeriesPlan[]
  readonly values: readonly ValuePlan[]
  readonly outputs: readonly { readonly name: string; readonly value: string }[]
  readonly order: readonly { readonly field: string; readonly direction: 'asc' | 'desc' }[]
  readonly limit?: number
}

export interface CohortQueryPlan {
  readonly kind: 'cohort_query'
  readonly grain: Grain
  readonly fiscalYearStartMonth: number
  readonly spine: { readonly table: string; readonly column: string }
  readonly range: PeriodRange
  readonly metric: string
  readonly dimensions: readonly string[]
  readonly source: SourcePlan
  readonly entityColumn: string
  readonly balanceColumn: string
  readonly time: string
  readonly timeGrain: Grain
  readonly limit?: number
}

export type QueryPlan = MetricQueryPlan | CohortQueryPlan
