import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckDbEngine } from '../../core/engines/duckdb-engine.js'
import { validateAthenaSql } from '../../core/sql/athena/athena-sql-check.js'
import { getDialect } from '../../core/sql/dialects.js'
import { answerMetricQuery } from '../../semantic/answer.js'
import { governedViewStatements, publishGovernedViews } from '../../semantic/governed-views.js'
import { loadFixtureTables } from '../../semantic/testing/fixture-tables.js'
import { TINY_TABLES, tinyCatalog } from '../fixtures/semantic/tiny-catalog.js'

let engine: DuckDbEngine
const catalog = tinyCatalog()

beforeAll(async () => {
  engine = await DuckDbEngine.open({ path: ':memory:' })
  await loadFixtureTables(engine, 'marts', TINY_TABLES)
})
afterAll(() => engine.close())

describe('governed metric views', () => {
  it('gives BI tools the same numbers as the semantic layer', async () => {
    expect(await publishGovernedViews(engine, catalog)).toBe(catalog.metrics.length)
    const view = await engine.run('SELECT * FROM metrics.mrr ORDER BY period, segment')
    const answer = await answerMetricQuery({ metrics: ['mrr'], dimensions: ['segment'] }, { engine, catalog })
    expect(view.rows).toEqual(answer.rows)
  })

  it('fills the long metric_values table, one row per metric and month', async () => {
    const { rows } = await engine.run(
      `SELECT metric, period, value, definition_version FROM metrics.metric_values WHERE metric IN ('mrr', 'win_rate') AND period <= DATE '2024-02-01' ORDER BY metric, period`,
    )
    expect(rows).toEqual([
      { metric: 'mrr', period: '2024-01-01', value: 150, definition_version: '1.0.0' },
      { metric: 'mrr', period: '2024-02-01', value: 300, definition_version: '1.0.0' },
      { metric: 'win_rate', period: '2024-01-01', value: 1, definition_version: '1.0.0' },
      { metric: 'win_rate', period: '2024-02-01', value: 1 / 3, definition_version: '1.0.0' },
    ])
  })

  it('renders every statement as Athena SQL that parses and stays under the size limit', async () => {
    const statements = governedViewStatements(catalog, getDialect('athena'), {
      location: 's3://warehouse/metrics/metric_values/run-1/',
    })
    for (const statement of statements) {
      expect(Buffer.byteLength(statement)).toBeLessThan(262_144)
      const result = await validateAthenaSql(statement)
      expect(result.errors, statement.slice(0, 200)).toEqual([])
    }
  })
})
