import { DuckDbEngine } from '../../core/engines/duckdb-engine.js'
import type { SqlValue } from '../../core/engines/engine.js'
import type { ScalarType } from '../../core/sql/dialect.js'
import { contractColumns, FAMILY_SCALAR } from '../../transforms/framework/contract.js'
import { MART_CONTRACTS, type MartName } from '../../transforms/models/marts/contracts.js'
import { answerMetricQuery } from '../answer.js'
import type { Catalog } from '../catalog.js'
import { dateSpine, type FixtureTable, loadFixtureTables } from './fixture-tables.js'
import type { MetricCase } from './metric-case.js'

export interface MetricCaseResult {
  readonly name: string
  readonly ok: boolean
  /** What differed, one line per difference (empty when ok). */
  readonly problems: readonly string[]
  readonly rows: readonly Record<string, SqlValue>[]
  readonly sql: string
}

/** Runs one case on an in-memory DuckDB with every mart created from its contract. */
export async function runMetricCase(catalog: Catalog, metricCase: MetricCase): Promise<MetricCaseResult> {
  const engine = await DuckDbEngine.open({ path: ':memory:' })
  try {
    const tables: Record<string, FixtureTable> = {}
    for (const name of Object.keys(MART_CONTRACTS) as MartName[]) {
      const columns: Record<string, ScalarType> = {}
      for (const c of contractColumns(name, MART_CONTRACTS[name])) columns[c.name] = FAMILY_SCALAR[c.family]
      tables[name] = { columns, rows: (metricCase.tables[name] ?? []) as Record<string, SqlValue>[] }
    }
    if (!metricCase.tables.dim_date) {
      const spine = metricCase.spine ?? { from: metricCase.query.from, to: metricCase.query.to }
      const days = dateSpine(spine.from, spine.to).rows
      tables.dim_date = { columns: tables.dim_date?.columns ?? {}, rows: days }
    }
    await loadFixtureTables(engine, 'marts', tables)
    const answer = await answerMetricQuery(metricCase.query, { engine, catalog })
    const problems = compareRows(answer.rows, metricCase.expect)
    return {
      name: metricCase.name,
      ok: problems.length === 0,
      problems,
      rows: answer.rows,
      sql: answer.provenance.sql,
    }
  } finally {
    await engine.close()
  }
}

function compareRows(actual: readonly Record<string, SqlValue>[], expected: MetricCase['expect']): string[] {
  const problems: string[] = []
  if (actual.length !== expected.length)
    problems.push(`expected ${expected.length} rows, got ${actual.length}`)
  expected.forEach((want, i) => {
    const got = actual[i]
    for (const [column, value] of Object.entries(want)) {
      const g = got?.[column]
      const same =
        typeof value === 'number' && typeof g === 'number'
          ? Math.abs(value - g) <= 1e-9 * Math.max(1, Math.abs(value))
          : g === value
      if (!same)
        problems.push(
          `row ${i + 1} ${column}: expected ${JSON.stringify(value)}, got ${JSON.stringify(g ?? null)}`,
        )
    }
  })
  return problems
}
