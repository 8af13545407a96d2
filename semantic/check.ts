import { AthenaDialect } from '../core/sql/athena/athena-dialect.js'
import { DuckDbDialect } from '../core/sql/duckdb/duckdb-dialect.js'
import type { SqlValidation } from '../core/sql/sql-grammar.js'
import { compileMetricQuery } from './answer.js'
import { Catalog, type CatalogIssue, metricDependencies } from './catalog.js'
import { Governance, Metric, MetricKind } from './spec/metric.js'
import type { SemanticModel } from './spec/semantic-model.js'
import type { MetricCase } from './testing/metric-case.js'

export interface SemanticCheckInput {
  readonly models: readonly SemanticModel[]
  /** Metric definitions as written (checked here, so a missing owner is a problem, not a crash). */
  readonly metrics: readonly unknown[]
  readonly cases: readonly MetricCase[]
  /** Athena SQL validation (the Trino grammar and Athena's functions); omitted, Athena SQL is only rendered. */
  readonly validateAthenaSql?: (sql: string) => Promise<SqlValidation>
}

/**
 * What `revops check` asks of every metric before it merges: a valid, documented and owned
 * definition, references that resolve, at least one unit-test case, SQL that compiles for both
 * engines (and parses as Athena SQL), no dependence on draft or deprecated metrics when certified,
 * and no two metrics with the same definition under different names.
 */
export async function checkSemantic(input: SemanticCheckInput): Promise<CatalogIssue[]> {
  const problems: CatalogIssue[] = []
  const metrics: Metric[] = []
  for (const raw of input.metrics) {
    const parsed = Metric.safeParse(raw)
    const id = typeof raw === 'object' && raw !== null && 'id' in raw ? String(raw.id) : '(no id)'
    if (parsed.success) metrics.push(parsed.data)
    else
      for (const issue of parsed.error.issues)
        problems.push({
          subject: `metric ${id}`,
          message: `${issue.path.join('.') || 'definition'}: ${issue.message}`,
        })
  }
  let catalog: Catalog
  try {
    catalog = new Catalog(input.models, metrics)
  } catch (error) {
    return [...problems, { subject: 'catalog', message: (error as Error).message }]
  }
  problems.push(...catalog.validate())

  const tested = new Set(input.cases.flatMap((c) => c.query.metrics))
  for (const m of metrics)
    if (!tested.has(m.id))
      problems.push({ subject: `metric ${m.id}`, message: 'has no unit-test case (semantic/metrics/cases)' })

  for (const m of metrics.filter((x) => x.status === 'certified')) {
    for (const dep of safeDependencies(m)) {
      const status = catalog.metric(dep)?.status
      if (status && status !== 'certified')
        problems.push({
          subject: `metric ${m.id}`,
          message: `is certified but depends on ${status} metric ${dep}`,
        })
    }
  }

  const byDefinition = new Map<string, string>()
  for (const m of metrics) {
    const key = definitionKey(m)
    const twin = byDefinition.get(key)
    if (twin) problems.push({ subject: `metric ${m.id}`, message: `has the same definition as ${twin}` })
    else byDefinition.set(key, m.id)
  }

  if (problems.length === 0) problems.push(...(await compileEverywhere(catalog, input.validateAthenaSql)))
  return problems
}

async function compileEverywhere(
  catalog: Catalog,
  validate?: SemanticCheckInput['validateAthenaSql'],
): Promise<CatalogIssue[]> {
  const problems: CatalogIssue[] = []
  for (const m of catalog.metrics) {
    const query = {
      metrics: [m.id],
      dimensions: m.type === 'cohort' ? [] : m.viewDimensions,
      grain: 'month' as const,
    }
    for (const dialect of [new DuckDbDialect(), new AthenaDialect()]) {
      try {
        const { rendered } = compileMetricQuery(catalog, query, dialect)
        if (dialect.name === 'athena' && validate) {
          const result = await validate(rendered.sql)
          for (const e of result.errors.slice(0, 3)) {
            problems.push({
              subject: `metric ${m.id}`,
              message: `Athena SQL line ${e.line}:${e.column}: ${e.message}`,
            })
          }
        }
      } catch (error) {
        problems.push({
          subject: `metric ${m.id}`,
          message: `does not compile for ${dialect.name}: ${(error as Error).message}`,
        })
      }
    }
  }
  return problems
}

function safeDependencies(metric: Metric): string[] {
  try {
    return metricDependencies(metric)
  } catch {
    return []
  }
}

/** The definition without its governance, so renamed copies are recognised. */
function definitionKey(metric: Metric): string {
  const governance = new Set(Object.keys(Governance.shape))
  const kind = Object.fromEntries(Object.entries(metric).filter(([k]) => !governance.has(k)))
  return canonical(MetricKind.parse(kind))
}

/** JSON with object keys sorted at every depth. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => a.localeCompare(b))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
