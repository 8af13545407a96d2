import { layerSchema, PROD_ENVIRONMENT } from '../core/config/names.js'
import type { Engine, Row } from '../core/engines/engine.js'
import { UserError } from '../core/errors.js'
import type { SqlDialect, TableRef } from '../core/sql/dialect.js'
import type { Catalog } from './catalog.js'
import type { QueryPlan } from './plan/plan.js'
import { planQuery } from './plan/planner.js'
import { type RenderedQuery, renderPlan } from './render/render-sql.js'
import type { Grain } from './spec/grain.js'
import { MetricQuery, type MetricQueryInput } from './spec/query.js'

/** Which build of the warehouse an answer read (from the build artifacts, when known). */
export interface BuildInfo {
  readonly id: string
  readonly finishedAt?: string
}

export interface Provenance {
  readonly dialect: SqlDialect['name']
  readonly environment: string
  readonly sql: string
  readonly parameters: readonly unknown[]
  /** Each metric's definition version and the revenue policy it depends on. */
  readonly definitions: Readonly<Record<string, { version: string; status: string; policy: string | null }>>
  readonly build?: BuildInfo
  readonly elapsedMs: number
  readonly bytesScanned?: number
}

/** CONTRACT.md's `revops query --format json` shape, plus provenance on request. */
export interface MetricAnswer {
  readonly metrics: readonly string[]
  readonly grain: Grain
  readonly dimensions: readonly string[]
  readonly rows: Row[]
  readonly provenance: Provenance
}

export interface CompiledMetricQuery {
  readonly query: MetricQuery
  readonly plan: QueryPlan
  readonly rendered: RenderedQuery
}

/** Where the marts are: the environment, and the deployment's schema prefix (`revops_` for Glue databases on AWS). */
export interface MartLocation {
  readonly environment?: string
  readonly schemaPrefix?: string
}

/** The physical name of a mart in an environment's `marts` schema. */
export function martTable(location: MartLocation = {}): (name: string) => TableRef {
  const schema = `${location.schemaPrefix ?? ''}${layerSchema(location.environment ?? PROD_ENVIRONMENT, 'marts')}`
  return (name) => ({ schema, name })
}

/** Validates, plans and renders a query without running it. */
export function compileMetricQuery(
  catalog: Catalog,
  input: MetricQueryInput,
  dialect: SqlDialect,
  location: MartLocation = {},
): CompiledMetricQuery {
  const parsed = MetricQuery.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new UserError(`invalid query: ${issue?.path.join('.') || 'query'}: ${issue?.message}`)
  }
  const plan = planQuery(catalog, parsed.data)
  return { query: parsed.data, plan, rendered: renderPlan(plan, { dialect, table: martTable(location) }) }
}

/** Answers a metric query on an engine: the one path every surface (CLI, HTTP, report, views) uses. */
export async function answerMetricQuery(
  input: MetricQueryInput,
  context: { engine: Engine; catalog: Catalog; build?: BuildInfo } & MartLocation,
): Promise<MetricAnswer> {
  const environment = context.environment ?? PROD_ENVIRONMENT
  const { query, plan, rendered } = compileMetricQuery(context.catalog, input, context.engine.dialect, {
    environment,
    ...(context.schemaPrefix ? { schemaPrefix: context.schemaPrefix } : {}),
  })
  const label = query.metrics.join(',')
  const result = await context.engine.run(rendered.sql, rendered.parameters as never, { label })
  const metrics = plan.kind === 'cohort_query' ? [plan.metric] : query.metrics
  const definitions = Object.fromEntries(
    metrics.map((id) => {
      const m = context.catalog.metric(id)
      return [id, { version: m?.version ?? '', status: m?.status ?? '', policy: m?.policy ?? null }]
    }),
  )
  return {
    metrics,
    grain: query.grain,
    dimensions: plan.kind === 'cohort_query' ? [...query.dimensions, 'periods_since'] : query.dimensions,
    rows: result.rows.map((row) => roundMetrics(row, metrics)),
    provenance: {
      dialect: context.engine.dialect.name,
      environment,
      sql: rendered.sql,
      parameters: rendered.parameters,
      definitions,
      ...(context.build ? { build: context.build } : {}),
      elapsedMs: result.stats.elapsedMs,
      ...(result.stats.bytesScanned === undefined ? {} : { bytesScanned: result.stats.bytesScanned }),
    },
  }
}

/**
 * Metric values carry 12 significant digits: a floating sum's last bits depend on the order an
 * engine adds in (DuckDB in parallel, Athena across workers), and the same question must give the
 * same number every time. Twelve digits keep every cent below ten billion.
 */
export const METRIC_SIGNIFICANT_DIGITS = 12

function roundMetrics(row: Row, metrics: readonly string[]): Row {
  const rounded: Row = { ...row }
  for (const metric of metrics) {
    const value = row[metric]
    if (typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value))
      rounded[metric] = Number(value.toPrecision(METRIC_SIGNIFICANT_DIGITS))
  }
  return rounded
}
