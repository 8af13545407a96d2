import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { planScans, scannedBytes, tableName } from '../../../bench/lib/plan-scans.js'
import { DuckDbEngine } from '../../../core/engines/duckdb-engine.js'

describe('planScans', () => {
  const columns: Record<string, string[]> = {
    facts: ['customer_id', 'month', 'mrr', 'movement'],
    customers: ['customer_id', 'segment', 'region'],
  }

  it('reads each scan’s table, projections and filter columns from a plan', () => {
    const plan = [
      {
        name: 'HASH_JOIN',
        children: [
          {
            name: 'SEQ_SCAN',
            extra_info: {
              Table: '"wh".physical.facts',
              Projections: ['customer_id', 'mrr'],
              Filters: "month>='2025-01-01'::DATE",
            },
          },
          { name: 'SEQ_SCAN', extra_info: { Table: 'customers', Projections: 'customer_id\nsegment' } },
        ],
      },
    ]
    expect(planScans(plan, (t) => columns[t] ?? [])).toEqual([
      { table: 'facts', columns: ['customer_id', 'mrr', 'month'] },
      { table: 'customers', columns: ['customer_id', 'segment'] },
    ])
  })

  it('adds up column sizes scan by scan', () => {
    const sizes = new Map([
      [
        'facts',
        new Map([
          ['mrr', 100],
          ['month', 10],
          ['customer_id', 50],
        ]),
      ],
      [
        'customers',
        new Map([
          ['segment', 5],
          ['customer_id', 7],
        ]),
      ],
    ])
    const scans = [
      { table: 'facts', columns: ['mrr', 'month'] },
      { table: 'facts', columns: ['mrr'] },
      { table: 'customers', columns: ['segment', 'unknown'] },
    ]
    expect(scannedBytes(scans, (t) => sizes.get(t) ?? new Map())).toBe(215)
  })

  it('takes the last part of a qualified name', () => {
    expect(tableName('"my-db".physical."fct.x__1"')).toBe('fct.x__1')
    expect(tableName('plain')).toBe('plain')
  })
})

describe('planScans on a real DuckDB plan', () => {
  let engine: DuckDbEngine
  beforeAll(async () => {
    engine = await DuckDbEngine.open({ path: ':memory:' })
    await engine.run('CREATE TABLE facts (customer_id VARCHAR, month DATE, mrr DOUBLE, movement VARCHAR)')
    await engine.run('CREATE TABLE customers (customer_id VARCHAR, segment VARCHAR, region VARCHAR)')
    await engine.run("INSERT INTO facts VALUES ('a', DATE '2025-01-01', 10, 'new')")
    await engine.run("INSERT INTO customers VALUES ('a', 'smb', 'na')")
  })
  afterAll(async () => {
    await engine.close()
  })

  it('finds the columns a month-grain query by segment reads, filters included', async () => {
    const { rows } = await engine.run(
      `EXPLAIN (FORMAT JSON) SELECT c.segment, f.month, sum(f.mrr) FROM facts f JOIN customers c USING (customer_id)
       WHERE f.movement = ? GROUP BY ALL`,
      ['new'],
    )
    const scans = planScans(JSON.parse(String(rows[0]?.explain_value)), (t) =>
      t === 'facts' ? ['customer_id', 'month', 'mrr', 'movement'] : ['customer_id', 'segment', 'region'],
    )
    const byTable = Object.fromEntries(scans.map((s) => [s.table, [...s.columns].sort()]))
    expect(byTable).toEqual({
      facts: ['customer_id', 'month', 'movement', 'mrr'],
      customers: ['customer_id', 'segment'],
    })
  })
})
