import { describe, expect, it } from 'vitest'
import { UserError } from '../../../core/errors.js'
import type { DialectLimits } from '../../../core/sql/dialect.js'
import { getDialect } from '../../../core/sql/dialects.js'
import { DuckDbDialect } from '../../../core/sql/duckdb/duckdb-dialect.js'
import { Target } from '../../../transforms/framework/index.js'
import { checkStatementSize } from '../../../transforms/framework/target.js'
import { landDayOne, landDayTwo } from '../../fixtures/transforms/lake.js'
import { models } from '../../fixtures/transforms/models/index.js'
import { openWarehouse, resultOf } from './support.js'

/** DuckDB with Athena-like write limits, so batching runs on a real engine (DuckDB has no such limit). */
class TwoPartitionsPerWrite extends DuckDbDialect {
  override readonly limits: DialectLimits = {
    maxQueryBytes: Number.POSITIVE_INFINITY,
    maxPartitionsPerWrite: 2,
  }
}

describe('engine limits', () => {
  it('writes partitioned tables in batches of at most maxPartitionsPerWrite partitions', async () => {
    const w = await openWarehouse({ dialect: () => new TwoPartitionsPerWrite() })
    try {
      await landDayOne(w.lake)
      await landDayTwo(w.lake)
      const run = await w.build(models)
      expect(resultOf(run, 'fct_daily_revenue')).toMatchObject({ status: 'success', rows: 3 })
      const writes = w.statements.filter(
        (s) => /"fct_daily_revenue__/.test(s) && /^(CREATE TABLE|INSERT INTO)/.test(s),
      )
      expect(writes).toHaveLength(2)
      expect(writes[0]).toMatch(
        /^CREATE TABLE[\s\S]*WHERE \("revenue_date" = DATE '2024-01-01'\) OR \("revenue_date" = DATE '2024-01-02'\)$/,
      )
      expect(writes[1]).toMatch(
        /^INSERT INTO[\s\S]*WHERE \("revenue_date" = DATE '2024-01-03'\)\) AS revops_rows$/,
      )
      expect(w.statements.some((s) => s.startsWith('SELECT DISTINCT "revenue_date" FROM'))).toBe(true)
      expect(await w.query('SELECT * FROM marts.fct_daily_revenue ORDER BY 1')).toEqual([
        { revenue_date: '2024-01-01', invoices: 1, revenue: 100 },
        { revenue_date: '2024-01-02', invoices: 2, revenue: 300 },
        { revenue_date: '2024-01-03', invoices: 1, revenue: 75 },
      ])
    } finally {
      await w.close()
    }
  })

  it('refuses a statement over the query size limit before sending it, naming what was too long', async () => {
    const athena = getDialect('athena')
    const long = `SELECT '${'x'.repeat(262_144)}' AS x`
    expect(() => checkStatementSize(athena, long, 'model fct_big (create table)')).toThrow(UserError)
    expect(() => checkStatementSize(athena, long, 'model fct_big (create table)')).toThrow(
      'model fct_big (create table): the statement is 262,158 bytes; athena accepts at most 262,144',
    )
    expect(() => checkStatementSize(getDialect('duckdb'), long, 'x')).not.toThrow()
    // Target.run checks before the engine sees anything.
    const target = Target.compileOnly(athena)
    await expect(target.run(long, 'model fct_big')).rejects.toThrow('model fct_big: the statement is')
  })
})
