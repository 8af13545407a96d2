import { type RawBuilder, sql } from 'kysely'
import type { SqlDialect, TableRef } from '../../core/sql/dialect.js'
import { compileOnlyKysely } from '../../core/sql/kysely.js'
import type {
  AggregateSeries,
  CohortQueryPlan,
  ColumnRef,
  ConversionSeries,
  MetricQueryPlan,
  QueryPlan,
  RetentionSeries,
  RowCondition,
  SourcePlan,
  ValueExpr,
  ValuePlan,
} from '../plan/plan.js'
import { Periods } from './periods.js'

export interface RenderTarget {
  readonly dialect: SqlDialect
  /** The physical table of a mart name in the environment being queried. */
  readonly table: (name: string) => TableRef
}

export interface RenderedQuery {
  readonly sql: string
  /** Values for the `?` placeholders: filter values and the date range, never spliced into the text. */
  readonly parameters: readonly unknown[]
}

type Expr = RawBuilder<unknown>

/** Renders a plan to one SQL statement through the dialect's hooks; nothing here knows the engine. */
export function renderPlan(plan: QueryPlan, target: RenderTarget): RenderedQuery {
  const renderer = new Renderer(plan, target)
  const query = plan.kind === 'metric_query' ? renderer.metricQuery(plan) : renderer.cohortQuery(plan)
  const compiled = query.compile(compileOnlyKysely(target.dialect))
  return { sql: compiled.sql, parameters: compiled.parameters }
}

class Renderer {
  readonly #d: SqlDialect
  readonly #periods: Periods

  constructor(
    private readonly plan: QueryPlan,
    private readonly target: RenderTarget,
  ) {
    this.#d = target.dialect
    this.#periods = new Periods(target.dialect, plan.grain, plan.fiscalYearStartMonth)
  }

  metricQuery(plan: MetricQueryPlan): Expr {
    const ctes: Expr[] = [sql`${this.#id('periods')} AS (${this.#periodsSelect()})`]
    for (const s of plan.series) ctes.push(sql`${this.#id(s.id)} AS (${this.#series(s)})`)
    const dims = plan.dimensions
    if (dims.length > 0) {
      const union = sql.join(
        plan.series.map((s) => sql`SELECT DISTINCT ${this.#columns(s.id, dims)} FROM ${this.#id(s.id)}`),
        sql` UNION `,
      )
      ctes.push(sql`${this.#id('dimension_values')} AS (${union})`)
      ctes.push(
        sql`${this.#id('frame')} AS (SELECT p.${this.#id('period')}, ${this.#columns('dv', dims)} FROM ${this.#id('periods')} AS p CROSS JOIN ${this.#id('dimension_values')} AS dv)`,
      )
    } else {
      ctes.push(
        sql`${this.#id('frame')} AS (SELECT p.${this.#id('period')} FROM ${this.#id('periods')} AS p)`,
      )
    }
    const rolling = new Set<string>()
    for (const value of plan.values) {
      for (const ref of valueRefs(value.expr)) {
        if (ref.rollingAvg && !rolling.has(`${ref.value}:${ref.rollingAvg}`)) {
          rolling.add(`${ref.value}:${ref.rollingAvg}`)
          ctes.push(
            sql`${this.#id(rollingName(ref.value, ref.rollingAvg))} AS (${this.#rolling(ref.value, ref.rollingAvg)})`,
          )
        }
      }
      ctes.push(sql`${this.#id(valueName(value.id))} AS (${this.#valueSelect(value)})`)
    }

    const outputs = plan.outputs.map(
      (o) => sql`${this.#id(valueName(o.value))}.${this.#id('value')} AS ${this.#id(o.name)}`,
    )
    const joins = [...new Set(plan.outputs.map((o) => o.value))].map(
      (v) => sql`LEFT JOIN ${this.#id(valueName(v))} ON ${this.#frameMatch(valueName(v), 'fr')}`,
    )
    const where =
      plan.range.from === undefined ? sql`` : sql` WHERE fr.${this.#id('period')} >= ${this.#firstPeriod()}`
    const orderFields = plan.order.length
      ? plan.order.map((o) => sql`${this.#id(o.field)} ${sql.raw(o.direction.toUpperCase())}`)
      : [sql`${this.#id('period')}`, ...dims.map((d) => sql`${this.#id(d)}`)]
    const limit = plan.limit === undefined ? sql`` : sql` LIMIT ${sql.lit(plan.limit)}`
    return sql`WITH ${sql.join(ctes, sql`,\n`)}\nSELECT fr.${this.#id('period')} AS ${this.#id('period')}${dims.length ? sql`, ${this.#columns('fr', dims)}` : sql``}, ${sql.join(outputs)}\nFROM ${this.#id('frame')} AS fr ${sql.join(joins, sql` `)}${where}\nORDER BY ${sql.join(orderFields)}${limit}`
  }

  cohortQuery(plan: CohortQueryPlan): Expr {
    const p = this.#periods
    const d = this.#d
    const dims = plan.dimensions
    const dimCols = (alias: string) => (dims.length ? sql`, ${this.#columns(alias, dims)}` : sql``)
    const dimMatch = (a: string, b: string) =>
      sql.join(
        dims.map(
          (x) => sql` AND ${sql.raw(a)}.${this.#id(x)} IS NOT DISTINCT FROM ${sql.raw(b)}.${this.#id(x)}`,
        ),
        sql``,
      )
    const snap = this.#snapshot(
      sql<string>`p.${this.#id('period')}`,
      plan.timeGrain,
      sql<string>`mx.${this.#id('t')}`,
    )
    const ctes = [
      sql`${this.#id('periods')} AS (${this.#periodsSelect()})`,
      sql`${this.#id('balances')} AS (${this.#balances(plan.source, plan.entityColumn, plan.time, plan.balanceColumn)})`,
      sql`${this.#id('firsts')} AS (SELECT e, MIN(t) AS first_t FROM ${this.#id('balances')} WHERE v > 0 GROUP BY e)`,
      sql`${this.#id('members')} AS (SELECT b.e, ${p.start(sql<string>`fi.first_t`)} AS cohort, b.v AS base_v${dimCols('b')} FROM ${this.#id('firsts')} AS fi JOIN ${this.#id('balances')} AS b ON b.e = fi.e AND b.t = fi.first_t)`,
      sql`${this.#id('cohorts')} AS (SELECT cohort, SUM(base_v) AS base${dimCols('m')} FROM ${this.#id('members')} AS m GROUP BY cohort${dimCols('m')})`,
      sql`${this.#id('mx')} AS (SELECT MAX(t) AS t FROM ${this.#id('balances')})`,
      sql`${this.#id('aged')} AS (SELECT m.cohort, p.${this.#id('period')}, SUM(COALESCE(b.v, 0)) AS v${dimCols('m')} FROM ${this.#id('periods')} AS p CROSS JOIN ${this.#id('mx')} AS mx JOIN ${this.#id('members')} AS m ON m.cohort <= p.${this.#id('period')} LEFT JOIN ${this.#id('balances')} AS b ON b.e = m.e AND b.t = ${snap} WHERE p.${this.#id('period')} <= mx.t GROUP BY m.cohort, p.${this.#id('period')}${dimCols('m')})`,
    ]
    const where = plan.range.from === undefined ? sql`` : sql` WHERE a.cohort >= ${this.#firstPeriod()}`
    const limit = plan.limit === undefined ? sql`` : sql` LIMIT ${sql.lit(plan.limit)}`
    return sql`WITH ${sql.join(ctes, sql`,\n`)}\nSELECT a.cohort AS ${this.#id('period')}${dimCols('a')}, ${p.between(sql<string>`a.cohort`, sql<string>`a.${this.#id('period')}`)} AS ${this.#id('periods_since')}, ${d.safeDiv(sql<number>`a.v`, sql<number>`c.base`)} AS ${this.#id(plan.metric)}\nFROM ${this.#id('aged')} AS a JOIN ${this.#id('cohorts')} AS c ON c.cohort = a.cohort${dimMatch('c', 'a')}${where}\nORDER BY ${this.#id('period')}${dims.length ? sql`, ${this.#columns('', dims)}` : sql``}, ${this.#id('periods_since')}${limit}`
  }

  // ---- periods and the frame ----

  #periodsSelect(): Expr {
    const spine = sql<string>`s.${this.#id(this.plan.spine.column)}`
    const conditions: Expr[] = []
    if (this.plan.range.from !== undefined) {
      const from = this.#periods.shift(this.#firstPeriod(), this.plan.range.lookbackPeriods)
      conditions.push(sql`${this.#d.toDate(spine)} >= ${from}`)
    }
    if (this.plan.range.to !== undefined)
      conditions.push(sql`${this.#d.toDate(spine)} <= ${this.#dateParam(this.plan.range.to)}`)
    const where = conditions.length ? sql` WHERE ${sql.join(conditions, sql` AND `)}` : sql``
    return sql`SELECT DISTINCT ${this.#periods.start(this.#d.toDate(spine))} AS ${this.#id('period')} FROM ${this.#table(this.plan.spine.table)} AS s${where}`
  }

  #firstPeriod(): RawBuilder<string> {
    return this.#periods.start(this.#dateParam(this.plan.range.from as string))
  }

  #dateParam(isoDate: string): RawBuilder<string> {
    return this.#d.cast<string>(sql.val(isoDate), 'date')
  }

  /** The last snapshot of a period, or the latest one for the unfinished current period. */
  #snapshot(
    period: RawBuilder<string>,
    snapshotGrain: AggregateSeries['timeGrain'],
    latest: RawBuilder<string>,
  ): RawBuilder<string> {
    const last = this.#periods.lastSnapshot(period, snapshotGrain)
    return sql<string>`(CASE WHEN ${last} > ${latest} AND ${period} <= ${latest} THEN ${latest} ELSE ${last} END)`
  }

  // ---- series: one aggregate per period × dimensions ----

  #series(s: AggregateSeries | RetentionSeries | ConversionSeries): Expr {
    switch (s.kind) {
      case 'aggregate':
        return this.#aggregate(s)
      case 'retention':
        return this.#retention(s)
      case 'conversion':
        return this.#conversion(s)
    }
  }

  #aggregate(s: AggregateSeries): Expr {
    const d = this.#d
    const time = d.toDate(sql<string>`f.${this.#id(s.time)}`)
    const value = this.#aggregation(s)
    const dims = s.source.dimensions.map((x) => sql`${this.#ref(x.ref)} AS ${this.#id(x.name)}`)
    const dimGroup = s.source.dimensions.map((x) => this.#ref(x.ref))
    const select = (period: Expr) =>
      sql.join([sql`${period} AS ${this.#id('period')}`, ...dims, sql`${value} AS ${this.#id('value')}`])
    const where = this.#where(s.source.where)
    const joins = this.#joins(s.source)
    const group = (period: Expr) => sql.join([period, ...dimGroup])

    if (s.semantics.kind === 'within' && s.window === undefined) {
      const period = this.#periods.start(time)
      return sql`SELECT ${select(period)} FROM ${this.#table(s.source.table)} AS f${joins}${where} GROUP BY ${group(period)}`
    }
    const p = sql<string>`p.${this.#id('period')}`
    const on: Expr[] = []
    let extra = sql``
    if (s.semantics.kind === 'last') {
      extra = sql` CROSS JOIN (SELECT MAX(${d.toDate(sql<string>`x.${this.#id(s.time)}`)}) AS t FROM ${this.#table(s.source.table)} AS x) AS mx`
      on.push(sql`${time} = ${this.#snapshot(p, s.timeGrain, sql<string>`mx.t`)}`)
    } else if (s.semantics.kind === 'as_of') {
      const from = d.cast(sql`f.${this.#id(s.semantics.validFrom)}`, 'timestamp')
      const to = d.cast(sql`f.${this.#id(s.semantics.validTo)}`, 'timestamp')
      if (s.semantics.at === 'start') {
        const at = d.cast(p, 'timestamp')
        on.push(sql`${from} <= ${at} AND (${to} IS NULL OR ${to} > ${at})`)
      } else {
        // The state at the period's last instant: valid before the next period starts and still valid then.
        const end = d.cast(this.#periods.end(p), 'timestamp')
        on.push(sql`${from} < ${end} AND (${to} IS NULL OR ${to} >= ${end})`)
      }
    } else if (s.window) {
      const end = this.#periods.end(p)
      on.push(sql`${time} >= ${d.dateAdd(s.window.unit, -s.window.count, end)} AND ${time} < ${end}`)
    }
    if (s.periodColumn) {
      const c = d.toDate(sql<string>`f.${this.#id(s.periodColumn)}`)
      on.push(sql`${c} >= ${p} AND ${c} < ${this.#periods.end(p)}`)
    }
    return sql`SELECT ${select(p)} FROM ${this.#id('periods')} AS p${extra} JOIN ${this.#table(s.source.table)} AS f ON ${sql.join(on, sql` AND `)}${joins}${where} GROUP BY ${group(p)}`
  }

  #aggregation(s: AggregateSeries): Expr {
    const column = s.column === undefined ? undefined : sql`f.${this.#id(s.column)}`
    switch (s.agg) {
      case 'count':
        return column ? sql`COUNT(${column})` : sql`COUNT(*)`
      case 'count_distinct':
        return sql`COUNT(DISTINCT ${column})`
      case 'sum':
        return sql`SUM(${column})`
      case 'average':
        return sql`AVG(${this.#d.cast(column as Expr, 'double')})`
      case 'median':
        return this.#d.median(this.#d.cast<number | null>(column as Expr, 'double'))
      case 'min':
        return sql`MIN(${column})`
      case 'max':
        return sql`MAX(${column})`
    }
  }

  /** Balances summed per entity and snapshot, carrying the entity's dimensions. */
  #balances(source: SourcePlan, entityColumn: string, time: string, balanceColumn: string): Expr {
    const dims = source.dimensions.map((x) => sql`, ${this.#ref(x.ref)} AS ${this.#id(x.name)}`)
    const dimGroup = source.dimensions.map((x) => sql`, ${this.#ref(x.ref)}`)
    const t = this.#d.toDate(sql<string>`f.${this.#id(time)}`)
    return sql`SELECT f.${this.#id(entityColumn)} AS e, ${t} AS t, SUM(f.${this.#id(balanceColumn)}) AS v${sql.join(dims, sql``)} FROM ${this.#table(source.table)} AS f${this.#joins(source)}${this.#where(source.where)} GROUP BY f.${this.#id(entityColumn)}, ${t}${sql.join(dimGroup, sql``)}`
  }

  #retention(s: RetentionSeries): Expr {
    const d = this.#d
    const p = sql<string>`p.${this.#id('period')}`
    const snap = this.#snapshot(p, s.timeGrain, sql<string>`mx.t`)
    const dims = s.source.dimensions.map((x) => sql`, base.${this.#id(x.name)}`)
    const now = sql<number>`COALESCE(cur.v, 0)`
    const numerator =
      s.retention === 'net'
        ? sql<number>`SUM(${now})`
        : sql<number>`SUM(CASE WHEN ${now} < base.v THEN ${now} ELSE base.v END)`
    const balances = this.#balances(s.source, s.entityColumn, s.time, s.balanceColumn)
    return sql`SELECT ${p} AS ${this.#id('period')}${sql.join(dims, sql``)}, ${d.safeDiv(numerator, sql<number>`SUM(base.v)`)} AS ${this.#id('value')} FROM ${this.#id('periods')} AS p CROSS JOIN (SELECT MAX(t) AS t FROM (${balances}) AS b0) AS mx JOIN (${balances}) AS base ON base.t = ${d.dateAdd('month', -s.lookbackMonths, snap)} AND base.v > 0 LEFT JOIN (${balances}) AS cur ON cur.e = base.e AND cur.t = ${snap} WHERE ${p} <= mx.t GROUP BY ${p}${sql.join(dims, sql``)}`
  }

  #conversion(s: ConversionSeries): Expr {
    const d = this.#d
    const baseTime = d.toDate(sql<string>`f.${this.#id(s.base.time)}`)
    const period = this.#periods.start(baseTime)
    const dims = s.base.source.dimensions.map((x) => sql`, ${this.#ref(x.ref)} AS ${this.#id(x.name)}`)
    const dimGroup = s.base.source.dimensions.map((x) => sql`, ${this.#ref(x.ref)}`)
    const entity = sql`f.${this.#id(s.base.entityColumn)}`
    const convTime = d.toDate(sql<string>`c.${this.#id(s.conversion.time)}`)
    const convWhere = this.#where(s.conversion.where)
    const conversions = sql`SELECT c.${this.#id(s.conversion.entityColumn)} AS e, ${convTime} AS t FROM ${this.#table(s.conversion.table)} AS c${convWhere}`
    const converted = sql<number>`COUNT(DISTINCT CASE WHEN cv.e IS NOT NULL THEN ${entity} END)`
    return sql`SELECT ${period} AS ${this.#id('period')}${sql.join(dims, sql``)}, ${d.safeDiv(converted, sql<number>`COUNT(DISTINCT ${entity})`)} AS ${this.#id('value')} FROM ${this.#table(s.base.source.table)} AS f${this.#joins(s.base.source)} LEFT JOIN (${conversions}) AS cv ON cv.e = ${entity} AND cv.t >= ${baseTime} AND cv.t <= ${d.dateAdd('day', s.withinDays, baseTime)}${this.#where(s.base.source.where)} GROUP BY ${period}${sql.join(dimGroup, sql``)}`
  }

  // ---- values: metrics over the frame ----

  #valueSelect(value: ValuePlan): Expr {
    const dims = this.plan.dimensions
    const joins = new Map<string, Expr>()
    const expr = this.#valueExpr(value.expr, joins)
    const filled = value.fill === 'zero' ? sql`COALESCE(${expr}, 0)` : expr
    return sql`SELECT fr.${this.#id('period')}${dims.length ? sql`, ${this.#columns('fr', dims)}` : sql``}, ${filled} AS ${this.#id('value')} FROM ${this.#id('frame')} AS fr${sql.join([...joins.values()], sql``)}`
  }

  #valueExpr(expr: ValueExpr, joins: Map<string, Expr>): RawBuilder<number | null> {
    const d = this.#d
    switch (expr.kind) {
      case 'number':
        return sql<number>`${sql.lit(expr.value)}`
      case 'series': {
        if (!joins.has(expr.series)) {
          joins.set(
            expr.series,
            sql` LEFT JOIN ${this.#id(expr.series)} ON ${this.#frameMatch(expr.series, 'fr')}`,
          )
        }
        const v = sql<number | null>`${this.#id(expr.series)}.${this.#id('value')}`
        return expr.emptyIsZero ? sql<number>`COALESCE(${v}, 0)` : v
      }
      case 'value': {
        const source = expr.rollingAvg ? rollingName(expr.value, expr.rollingAvg) : valueName(expr.value)
        const alias = expr.lag ? `${source}__lag_${expr.lag}` : source
        if (!joins.has(alias)) {
          const match = expr.lag
            ? this.#frameMatch(
                alias,
                'fr',
                this.#periods.shift(sql<string>`fr.${this.#id('period')}`, expr.lag),
              )
            : this.#frameMatch(alias, 'fr')
          joins.set(alias, sql` LEFT JOIN ${this.#id(source)} AS ${this.#id(alias)} ON ${match}`)
        }
        return sql<number | null>`${this.#id(alias)}.${this.#id('value')}`
      }
      case 'binary': {
        const left = this.#valueExpr(expr.left, joins)
        const right = this.#valueExpr(expr.right, joins)
        if (expr.op === '/') return d.safeDiv(left, right)
        return sql<number | null>`(${left} ${sql.raw(expr.op)} ${right})`
      }
      case 'negate':
        return sql<number | null>`(-${this.#valueExpr(expr.arg, joins)})`
      case 'abs':
        return sql<number | null>`abs(${this.#valueExpr(expr.arg, joins)})`
    }
  }

  /** A mean over the last `n` periods, null unless all `n` values are known. */
  #rolling(value: string, n: number): Expr {
    const dims = this.plan.dimensions
    const over = sql`OVER (${dims.length ? sql`PARTITION BY ${this.#columns('', dims)} ` : sql``}ORDER BY ${this.#id('period')} ROWS BETWEEN ${sql.lit(n - 1)} PRECEDING AND CURRENT ROW)`
    return sql`SELECT ${this.#id('period')}${dims.length ? sql`, ${this.#columns('', dims)}` : sql``}, CASE WHEN COUNT(${this.#id('value')}) ${over} = ${sql.lit(n)} THEN AVG(${this.#id('value')}) ${over} END AS ${this.#id('value')} FROM ${this.#id(valueName(value))}`
  }

  /** `x.period = <period> AND x.dim IS NOT DISTINCT FROM fr.dim …` (dimension values may be NULL). */
  #frameMatch(
    alias: string,
    frame: string,
    period: Expr = sql`${sql.raw(frame)}.${this.#id('period')}`,
  ): Expr {
    const dims = this.plan.dimensions.map(
      (x) =>
        sql` AND ${this.#id(alias)}.${this.#id(x)} IS NOT DISTINCT FROM ${sql.raw(frame)}.${this.#id(x)}`,
    )
    return sql`${this.#id(alias)}.${this.#id('period')} = ${period}${sql.join(dims, sql``)}`
  }

  // ---- building blocks ----

  #joins(source: SourcePlan): Expr {
    return sql.join(
      source.joins.map(
        (j) =>
          sql` LEFT JOIN ${this.#table(j.table)} AS ${this.#id(j.alias)} ON ${this.#id(j.alias)}.${this.#id(j.toColumn)} = ${this.#id(j.fromAlias)}.${this.#id(j.fromColumn)}`,
      ),
      sql``,
    )
  }

  #where(conditions: readonly RowCondition[]): Expr {
    if (conditions.length === 0) return sql``
    return sql` WHERE ${sql.join(
      conditions.map((c) => this.#condition(c)),
      sql` AND `,
    )}`
  }

  #condition(c: RowCondition): Expr {
    const target = this.#ref(c.target)
    const value = (v: string | number | boolean) =>
      c.from === 'query' ? sql.val(v) : sql.raw(this.#d.literal(v))
    switch (c.op) {
      case 'is null':
        return sql`${target} IS NULL`
      case 'is not null':
        return sql`${target} IS NOT NULL`
      case 'in':
      case 'not in': {
        const values = Array.isArray(c.value) ? c.value : [c.value as string | number | boolean]
        return sql`${target} ${sql.raw(c.op.toUpperCase())} (${sql.join(values.map(value))})`
      }
      default:
        return sql`${target} ${sql.raw(c.op)} ${value(c.value as string | number | boolean)}`
    }
  }

  #ref(ref: ColumnRef): Expr {
    return sql`${this.#id(ref.alias)}.${this.#id(ref.column)}`
  }

  #columns(alias: string, names: readonly string[]): Expr {
    return sql.join(names.map((n) => (alias ? sql`${sql.raw(alias)}.${this.#id(n)}` : this.#id(n))))
  }

  #table(name: string): Expr {
    return sql.raw(this.#d.tableName(this.target.table(name)))
  }

  #id(name: string): Expr {
    return sql.raw(this.#d.quoteIdentifier(name))
  }
}

function valueName(id: string): string {
  return `v_${id}`
}

function rollingName(id: string, n: number): string {
  return `v_${id}__rolling_${n}`
}

function valueRefs(expr: ValueExpr): Extract<ValueExpr, { kind: 'value' }>[] {
  switch (expr.kind) {
    case 'value':
      return [expr]
    case 'binary':
      return [...valueRefs(expr.left), ...valueRefs(expr.right)]
    case 'negate':
    case 'abs':
      return valueRefs(expr.arg)
    default:
      return []
  }
}
