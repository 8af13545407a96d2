import { UserError } from '../../core/errors.js'
import type { Catalog } from '../catalog.js'
import { type Formula, parseFormula } from '../spec/formula.js'
import { type Grain, isCoarserOrEqual } from '../spec/grain.js'
import type { MeasureInput, Metric, Window } from '../spec/metric.js'
import type { MetricQuery, QueryFilter } from '../spec/query.js'
import type { Condition } from '../spec/semantic-model.js'
import type {
  CohortQueryPlan,
  JoinStep,
  MetricQueryPlan,
  QueryPlan,
  RowCondition,
  SeriesPlan,
  SourcePlan,
  ValueExpr,
  ValuePlan,
} from './plan.js'

const ADDITIVE_AGGS = new Set(['sum', 'count', 'count_distinct'])

/** Turns a validated query into a plan. Every mistake the user can fix is a one-line `UserError`. */
export function planQuery(catalog: Catalog, query: MetricQuery): QueryPlan {
  for (const id of query.metrics) requireMetric(catalog, id)
  const cohort = query.metrics.map((id) => catalog.metric(id) as Metric).find((m) => m.type === 'cohort')
  if (cohort) {
    if (query.metrics.length > 1) throw new UserError(`${cohort.id} is a cohort table; query it on its own`)
    return planCohort(catalog, query, cohort)
  }
  return new MetricPlanner(catalog, query).plan()
}

function requireMetric(catalog: Catalog, id: string): Metric {
  const metric = catalog.metric(id)
  if (metric) return metric
  const known = catalog.metrics.map((m) => m.id)
  const close = known.filter((k) => k.includes(id) || id.includes(k)).slice(0, 3)
  throw new UserError(`unknown metric ${id}`, {
    hint: close.length
      ? `did you mean ${close.join(', ')}? (revops metrics lists them all)`
      : 'revops metrics lists them all',
  })
}

class MetricPlanner {
  readonly #series: SeriesPlan[] = []
  readonly #seriesKeys = new Map<string, string>()
  readonly #values = new Map<string, ValuePlan>()
  readonly #lookback = new Map<string, number>()

  constructor(
    private readonly catalog: Catalog,
    private readonly query: MetricQuery,
  ) {}

  plan(): MetricQueryPlan {
    const outputs = this.query.metrics.map((id) => ({ name: id, value: this.#value(id, undefined) }))
    const lookbackPeriods = Math.max(0, ...outputs.map((o) => this.#lookback.get(o.value) ?? 0))
    for (const o of this.query.order) {
      if (
        o.field !== 'period' &&
        !this.query.metrics.includes(o.field) &&
        !this.query.dimensions.includes(o.field)
      ) {
        throw new UserError(`cannot order by ${o.field}: it is not a metric or dimension of the query`)
      }
    }
    return {
      kind: 'metric_query',
      grain: this.query.grain,
      fiscalYearStartMonth: this.catalog.config.fiscalYearStartMonth,
      spine: this.catalog.config.timeSpine,
      range: rangeOf(this.query, lookbackPeriods),
      dimensions: this.query.dimensions,
      series: this.#series,
      values: [...this.#values.values()],
      outputs,
      order: this.query.order,
      ...(this.query.limit === undefined ? {} : { limit: this.query.limit }),
    }
  }

  /** Plans a metric (over an optional trailing window) once and returns its value id. */
  #value(metricId: string, window: Window | undefined): string {
    const id = window ? `${metricId}__trailing_${window.count}_${window.unit}` : metricId
    if (this.#values.has(id)) return id
    const metric = requireMetric(this.catalog, metricId)
    const { expr, lookback } = this.#expression(metric, window)
    this.#values.set(id, { id, metric: metricId, expr, fill: metric.fill })
    this.#lookback.set(id, lookback)
    return id
  }

  #expression(metric: Metric, window: Window | undefined): { expr: ValueExpr; lookback: number } {
    switch (metric.type) {
      case 'simple':
        return { expr: this.#aggregate(metric.id, metric, metric.window ?? window), lookback: 0 }
      case 'ratio': {
        const w = metric.window ?? window
        return {
          expr: {
            kind: 'binary',
            op: '/',
            left: this.#aggregate(metric.id, metric.numerator, w),
            right: this.#aggregate(metric.id, metric.denominator, w),
          },
          lookback: 0,
        }
      }
      case 'derived':
        return this.#formula(parseFormula(metric.formula), window)
      case 'period_over_period': {
        const base = this.#value(metric.metric, window)
        const lookback = (this.#lookback.get(base) ?? 0) + metric.offset
        const now: ValueExpr = { kind: 'value', value: base }
        const then: ValueExpr = { kind: 'value', value: base, lag: metric.offset }
        const expr: ValueExpr =
          metric.comparison === 'previous'
            ? then
            : metric.comparison === 'difference'
              ? { kind: 'binary', op: '-', left: now, right: then }
              : {
                  kind: 'binary',
                  op: '/',
                  left: { kind: 'binary', op: '-', left: now, right: then },
                  right: then,
                }
        return { expr, lookback }
      }
      case 'retention': {
        if (window) throw new UserError(`${metric.id} already has its own window and cannot take trailing()`)
        const { model, measure } = this.catalog.measure(metric.balance)
        this.#checkGrain(metric.id, model.name, measure.time ?? model.defaultTime)
        const entityModel = this.catalog.primaryModel(metric.entity)
        const allowed = entityModel ? this.catalog.dimensionsOf(entityModel.name) : new Map()
        for (const d of [...this.query.dimensions, ...this.query.filters.map((f) => f.dimension)]) {
          if (!allowed.has(d))
            throw new UserError(
              `dimension ${d} is not available for ${metric.id} (it reads ${metric.entity} attributes)`,
            )
        }
        const entity = model.entities.find((e) => e.name === metric.entity)
        if (!entity || !measure.column)
          throw new Error(`${metric.id}: ${model.name} has no ${metric.entity} entity or column`)
        const id = this.#addSeries({
          kind: 'retention',
          id: '',
          source: this.#source(metric.id, model.name, measure.where),
          entityColumn: entity.column,
          balanceColumn: measure.column,
          time: this.#timeColumn(model.name, measure.time),
          timeGrain: this.#timeGrain(model.name, measure.time),
          lookbackMonths: metric.lookbackMonths,
          retention: metric.kind,
        })
        return { expr: { kind: 'series', series: id, emptyIsZero: false }, lookback: 0 }
      }
      case 'conversion': {
        if (window) throw new UserError(`${metric.id} has its own window and cannot take trailing()`)
        const base = this.catalog.measure(metric.base.measure)
        const conv = this.catalog.measure(metric.conversion.measure)
        this.#checkGrain(metric.id, base.model.name, base.measure.time ?? base.model.defaultTime)
        const entityOf = (m: typeof base) => {
          const e = m.model.entities.find((x) => x.name === metric.entity)
          if (!e) throw new Error(`${metric.id}: ${m.model.name} has no ${metric.entity} entity`)
          return e.column
        }
        const convWhere = [...conv.measure.where, ...metric.conversion.where]
        const id = this.#addSeries({
          kind: 'conversion',
          id: '',
          base: {
            source: this.#source(metric.id, base.model.name, [...base.measure.where, ...metric.base.where]),
            time: this.#timeColumn(base.model.name, base.measure.time),
            entityColumn: entityOf(base),
          },
          conversion: {
            table: conv.model.table,
            time: this.#timeColumn(conv.model.name, conv.measure.time),
            entityColumn: entityOf(conv),
            where: this.#ownConditions(metric.id, conv.model.name, convWhere),
          },
          withinDays: metric.withinDays,
        })
        return { expr: { kind: 'series', series: id, emptyIsZero: false }, lookback: 0 }
      }
      case 'cohort':
        throw new UserError(`${metric.id} is a cohort table and cannot be used inside another metric`)
    }
  }

  #formula(formula: Formula, window: Window | undefined): { expr: ValueExpr; lookback: number } {
    switch (formula.kind) {
      case 'number':
        return { expr: formula, lookback: 0 }
      case 'ref': {
        const modifier = formula.modifier
        if (modifier?.kind === 'trailing' && window)
          throw new UserError(`trailing(${formula.metric}) is nested in another window`)
        const id = this.#value(formula.metric, modifier?.kind === 'trailing' ? modifier.window : window)
        const inner = this.#lookback.get(id) ?? 0
        if (modifier?.kind === 'lag')
          return {
            expr: { kind: 'value', value: id, lag: modifier.periods },
            lookback: inner + modifier.periods,
          }
        if (modifier?.kind === 'rolling_avg') {
          return {
            expr: { kind: 'value', value: id, rollingAvg: modifier.periods },
            lookback: inner + modifier.periods - 1,
          }
        }
        return { expr: { kind: 'value', value: id }, lookback: inner }
      }
      case 'binary': {
        const left = this.#formula(formula.left, window)
        const right = this.#formula(formula.right, window)
        return {
          expr: { kind: 'binary', op: formula.op, left: left.expr, right: right.expr },
          lookback: Math.max(left.lookback, right.lookback),
        }
      }
      case 'negate':
      case 'abs': {
        const arg = this.#formula(formula.arg, window)
        return { expr: { kind: formula.kind, arg: arg.expr }, lookback: arg.lookback }
      }
    }
  }

  #aggregate(metricId: string, input: MeasureInput, window: Window | undefined): ValueExpr {
    const { model, measure } = this.catalog.measure(input.measure)
    const time = measure.time ?? model.defaultTime
    this.#checkGrain(metricId, model.name, time)
    if (window && measure.semantics.kind !== 'within') {
      throw new UserError(
        `${metricId}: a trailing window needs an additive measure, and ${input.measure} is a snapshot`,
      )
    }
    const id = this.#addSeries({
      kind: 'aggregate',
      id: '',
      source: this.#source(metricId, model.name, [...measure.where, ...input.where]),
      agg: measure.agg,
      ...(measure.column === undefined ? {} : { column: measure.column }),
      time: this.#timeColumn(model.name, measure.time),
      timeGrain: this.#timeGrain(model.name, measure.time),
      semantics: measure.semantics,
      ...(measure.periodColumn === undefined ? {} : { periodColumn: measure.periodColumn }),
      ...(window === undefined ? {} : { window }),
    })
    return { kind: 'series', series: id, emptyIsZero: ADDITIVE_AGGS.has(measure.agg) }
  }

  #checkGrain(metricId: string, modelName: string, timeName: string | undefined): void {
    const time = this.catalog.model(modelName).timeDimensions.find((t) => t.name === timeName)
    if (time && !isCoarserOrEqual(this.query.grain, time.grain)) {
      throw new UserError(
        `${metricId} is available at ${time.grain} grain or coarser, not by ${this.query.grain}`,
      )
    }
  }

  #timeColumn(modelName: string, timeName: string | undefined): string {
    return timeDimension(this.catalog, modelName, timeName).column
  }

  #timeGrain(modelName: string, timeName: string | undefined): Grain {
    return timeDimension(this.catalog, modelName, timeName).grain
  }

  #source(metricId: string, modelName: string, conditions: readonly Condition[]): SourcePlan {
    return planSource(this.catalog, metricId, modelName, this.query, conditions)
  }

  /** Conditions on the model's own columns (the conversion side joins nothing). */
  #ownConditions(metricId: string, modelName: string, conditions: readonly Condition[]): RowCondition[] {
    const reachable = this.catalog.dimensionsOf(modelName)
    return conditions.map((c) => {
      const path = reachable.get(c.dimension)
      if (!path || path.joins.length > 0)
        throw new Error(`${metricId}: ${c.dimension} must be a column of ${modelName}`)
      return toRowCondition(c, { alias: 'c', column: path.column })
    })
  }

  #addSeries(series: SeriesPlan): string {
    const key = JSON.stringify({ ...series, id: '' })
    const existing = this.#seriesKeys.get(key)
    if (existing) return existing
    const id = `s${this.#series.length + 1}`
    this.#series.push({ ...series, id })
    this.#seriesKeys.set(key, id)
    return id
  }
}

function planCohort(
  catalog: Catalog,
  query: MetricQuery,
  metric: Extract<Metric, { type: 'cohort' }>,
): CohortQueryPlan {
  const { model, measure } = catalog.measure(metric.balance)
  const entity = model.entities.find((e) => e.name === metric.entity)
  if (!entity || !measure.column)
    throw new Error(`${metric.id}: ${model.name} has no ${metric.entity} entity or column`)
  const time = model.timeDimensions.find((t) => t.name === (measure.time ?? model.defaultTime))
  if (!time) throw new Error(`${metric.id}: no time dimension`)
  if (!isCoarserOrEqual(query.grain, time.grain)) {
    throw new UserError(`${metric.id} is available at ${time.grain} grain or coarser, not by ${query.grain}`)
  }
  const entityModel = catalog.primaryModel(metric.entity)
  const allowed = entityModel ? catalog.dimensionsOf(entityModel.name) : new Map()
  for (const d of [...query.dimensions, ...query.filters.map((f) => f.dimension)]) {
    if (!allowed.has(d))
      throw new UserError(
        `dimension ${d} is not available for ${metric.id} (it reads ${metric.entity} attributes)`,
      )
  }
  const source = planSource(catalog, metric.id, model.name, query, measure.where)
  return {
    kind: 'cohort_query',
    grain: query.grain,
    fiscalYearStartMonth: catalog.config.fiscalYearStartMonth,
    spine: catalog.config.timeSpine,
    range: rangeOf(query, 0),
    metric: metric.id,
    dimensions: query.dimensions,
    source,
    entityColumn: entity.column,
    balanceColumn: measure.column,
    time: time.column,
    timeGrain: time.grain,
    ...(query.limit === undefined ? {} : { limit: query.limit }),
  }
}

/** The fact table with the joins that bring in the query's dimensions and filters, and all row conditions. */
function planSource(
  catalog: Catalog,
  metricId: string,
  modelName: string,
  query: MetricQuery,
  conditions: readonly Condition[],
): SourcePlan {
  const reachable = catalog.dimensionsOf(modelName)
  const joins: JoinStep[] = []
  const aliasOf = new Map<string, string>()
  const refFor = (dimension: string) => {
    const path = reachable.get(dimension)
    if (!path) {
      throw new UserError(`dimension ${dimension} is not available for ${metricId}`, {
        hint: `${metricId} reads ${modelName}; its dimensions: ${[...reachable.keys()].sort().join(', ')}`,
      })
    }
    // One alias per distinct join chain, so two dimensions of the same joined model share its join.
    let alias = 'f'
    let chain = ''
    for (const step of path.joins) {
      chain += `>${step.model.name}`
      let next = aliasOf.get(chain)
      if (!next) {
        next = `j${joins.length + 1}`
        aliasOf.set(chain, next)
        joins.push({
          alias: next,
          table: step.model.table,
          fromAlias: alias,
          fromColumn: step.fromColumn,
          toColumn: step.toColumn,
        })
      }
      alias = next
    }
    return { alias, column: path.column }
  }
  return {
    table: catalog.model(modelName).table,
    joins,
    dimensions: query.dimensions.map((name) => ({ name, ref: refFor(name) })),
    where: [
      ...conditions.map((c) => toRowCondition(c, refFor(c.dimension))),
      ...query.filters.map((f) => toRowCondition(filterToCondition(f), refFor(f.dimension), 'query')),
    ],
  }
}

function timeDimension(catalog: Catalog, modelName: string, timeName: string | undefined) {
  const model = catalog.model(modelName)
  const time = model.timeDimensions.find((t) => t.name === (timeName ?? model.defaultTime))
  if (!time) throw new Error(`${modelName} has no time dimension ${String(timeName ?? model.defaultTime)}`)
  return time
}

function rangeOf(query: MetricQuery, lookbackPeriods: number) {
  return {
    ...(query.from === undefined ? {} : { from: query.from }),
    ...(query.to === undefined ? {} : { to: query.to }),
    lookbackPeriods,
  }
}

function filterToCondition(filter: QueryFilter): Condition {
  return { dimension: filter.dimension, op: filter.op, value: filter.value }
}

function toRowCondition(
  condition: Condition,
  target: { alias: string; column: string },
  from: RowCondition['from'] = 'definition',
): RowCondition {
  return {
    target,
    op: condition.op,
    from,
    ...(condition.value === undefined ? {} : { value: condition.value }),
  }
}
