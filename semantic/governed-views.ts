import { METRICS_SCHEMA, PROD_ENVIRONMENT } from '../core/config/names.js'
import type { Engine } from '../core/engines/engine.js'
import type { SqlDialect } from '../core/sql/dialect.js'
import { compileMetricQuery, type MartLocation } from './answer.js'
import type { Catalog } from './catalog.js'

export interface GovernedView {
  readonly metric: string
  readonly name: string
  /** The view's SELECT: the metric at month grain by its view dimensions, over all periods. */
  readonly select: string
}

/**
 * One view per metric in the `metrics` schema, so BI tools on Athena (and any DuckDB client
 * locally) read the same numbers as every other surface: the SQL is the semantic layer's own.
 */
export function governedViews(
  catalog: Catalog,
  dialect: SqlDialect,
  location: MartLocation = {},
): GovernedView[] {
  return catalog.metrics
    .filter((m) => m.status !== 'deprecated')
    .map((m) => {
      const { rendered } = compileMetricQuery(
        catalog,
        { metrics: [m.id], dimensions: m.type === 'cohort' ? [] : m.viewDimensions, grain: 'month' },
        dialect,
        location,
      )
      if (rendered.parameters.length > 0) throw new Error(`view of ${m.id} would need parameters`)
      return { metric: m.id, name: m.id, select: rendered.sql }
    })
}

/**
 * The long `metric_values` table: every metric by month (`metric`, `period`, `value`,
 * `definition_version`), for tools that want one table. Filled one metric per statement, so no
 * statement nears Athena's 262,144-byte limit.
 */
export function metricValuesStatements(
  catalog: Catalog,
  dialect: SqlDialect,
  options: GovernedViewOptions = {},
): string[] {
  const table = { schema: metricsSchema(options), name: 'metric_values' }
  const q = (name: string) => dialect.quoteIdentifier(name)
  const selects = catalog.metrics
    .filter((m) => m.status !== 'deprecated' && m.type !== 'cohort')
    .map((m) => {
      const { rendered } = compileMetricQuery(catalog, { metrics: [m.id], grain: 'month' }, dialect, options)
      return `SELECT CAST(${dialect.literal(m.id)} AS VARCHAR) AS ${q('metric')}, v.${q('period')}, CAST(v.${q(m.id)} AS DOUBLE) AS ${q('value')}, CAST(${dialect.literal(m.version)} AS VARCHAR) AS ${q('definition_version')} FROM (${rendered.sql}) AS v`
    })
  const [first, ...rest] = selects
  if (first === undefined) return []
  return [
    dialect.dropTable(table),
    dialect.createTableAs(table, first, options.location === undefined ? {} : { location: options.location }),
    ...rest.map((select) => `INSERT INTO ${dialect.tableName(table)}\n${select}`),
  ]
}

export interface GovernedViewOptions extends MartLocation {
  /** Where `metric_values`'s data lives (Athena: a fresh S3 prefix per refresh). */
  readonly location?: string
}

/** `metrics` in prod, `dev_alice_metrics` in a dev environment, with the deployment's prefix. */
export function metricsSchema(options: MartLocation = {}): string {
  const environment = options.environment ?? PROD_ENVIRONMENT
  return `${options.schemaPrefix ?? ''}${environment === PROD_ENVIRONMENT ? METRICS_SCHEMA : `${environment}_${METRICS_SCHEMA}`}`
}

/** The statements that (re)create the `metrics` schema: one view per metric, then `metric_values`. */
export function governedViewStatements(
  catalog: Catalog,
  dialect: SqlDialect,
  options: GovernedViewOptions = {},
): string[] {
  const schema = metricsSchema(options)
  return [
    dialect.createSchema(schema),
    ...governedViews(catalog, dialect, options).map((v) =>
      dialect.createOrReplaceView({ schema, name: v.name }, v.select),
    ),
    ...metricValuesStatements(catalog, dialect, options),
  ]
}

/** Creates or replaces the governed views and refreshes `metric_values` on an engine; returns the view count. */
export async function publishGovernedViews(
  engine: Engine,
  catalog: Catalog,
  options: GovernedViewOptions = {},
): Promise<number> {
  for (const statement of governedViewStatements(catalog, engine.dialect, options)) {
    await engine.run(statement, [], { label: 'governed metric views' })
  }
  return governedViews(catalog, engine.dialect, options).length
}
