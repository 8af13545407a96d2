import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckDbEngine } from '../../core/engines/duckdb-engine.js'
import { UserError } from '../../core/errors.js'
import { answerMetricQuery, METRIC_SIGNIFICANT_DIGITS } from '../../semantic/answer.js'
import type { MetricQueryInput } from '../../semantic/spec/query.js'
import { loadFixtureTables } from '../../semantic/testing/fixture-tables.js'
import { TINY_TABLES, tinyCatalog } from '../fixtures/semantic/tiny-catalog.js'

let engine: DuckDbEngine
const catalog = tinyCatalog()

beforeAll(async () => {
  engine = await DuckDbEngine.open({ path: ':memory:' })
  await loadFixtureTables(engine, 'marts', TINY_TABLES)
})
afterAll(() => engine.close())

const ask = async (query: MetricQueryInput, c = catalog) =>
  (await answerMetricQuery(query, { engine, catalog: c })).rows
/** What an answer carries: the value to 12 significant digits. */
const r12 = (x: number) => Number(x.toPrecision(METRIC_SIGNIFICANT_DIGITS))
const column = (rows: Record<string, unknown>[], name: string) => rows.map((r) => r[name])

describe('semi-additive balances', () => {
  it('MRR by month is each month-end balance', async () => {
    const rows = await ask({ metrics: ['mrr', 'arr', 'active_customers'] })
    expect(column(rows, 'period')).toEqual([
      '2024-01-01',
      '2024-02-01',
      '2024-03-01',
      '2024-04-01',
      '2024-05-01',
      '2024-06-01',
    ])
    expect(column(rows, 'mrr')).toEqual([150, 300, 350, 280, 100, 0])
    expect(column(rows, 'arr')).toEqual([1800, 3600, 4200, 3360, 1200, 0])
    expect(column(rows, 'active_customers')).toEqual([2, 2, 2, 2, 1, 0])
  })

  it('MRR at quarter grain is the quarter-end value, not a sum of months', async () => {
    const rows = await ask({ metrics: ['mrr'], grain: 'quarter' })
    // Q1 ends in March (350, not 150 + 300 + 350); Q2 is unfinished, so it reads May, the latest month.
    expect(rows).toEqual([
      { period: '2024-01-01', mrr: 350 },
      { period: '2024-04-01', mrr: 100 },
    ])
  })

  it('follows a fiscal year that starts in February', async () => {
    const rows = await ask({ metrics: ['mrr'], grain: 'quarter' }, tinyCatalog({ fiscalYearStartMonth: 2 }))
    // Fiscal quarters: Nov–Jan (ends Jan: 150), Feb–Apr (ends Apr: 280), May–Jul (latest: May 100).
    expect(rows).toEqual([
      { period: '2023-11-01', mrr: 150 },
      { period: '2024-02-01', mrr: 280 },
      { period: '2024-05-01', mrr: 100 },
    ])
  })
})

describe('ratios and derived metrics', () => {
  it('a ratio at a coarser grain is a ratio of sums, not an average of ratios', async () => {
    const monthly = await ask({ metrics: ['win_rate'], to: '2024-02-29' })
    expect(column(monthly, 'win_rate')).toEqual([1, r12(1 / 3)])
    const quarterly = await ask({ metrics: ['win_rate'], grain: 'quarter', to: '2024-03-31' })
    expect(quarterly).toEqual([{ period: '2024-01-01', win_rate: 2 / 4 }])
  })

  it('empty periods appear: zero for amounts, null for rates', async () => {
    const rows = await ask({ metrics: ['bookings', 'win_rate'], from: '2024-01-01', to: '2024-04-30' })
    expect(rows).toEqual([
      { period: '2024-01-01', bookings: 100, win_rate: 1 },
      { period: '2024-02-01', bookings: 300, win_rate: r12(1 / 3) },
      { period: '2024-03-01', bookings: 0, win_rate: null },
      { period: '2024-04-01', bookings: 0, win_rate: null },
    ])
  })

  it('lag reads the previous period even when it lies before the requested range', async () => {
    const rows = await ask({
      metrics: ['logo_churn_rate', 'mrr_growth'],
      from: '2024-02-01',
      to: '2024-04-30',
    })
    // Feb: c churned of {a, c} active in Jan; Apr: a churned of {a, b} active in Mar.
    expect(column(rows, 'logo_churn_rate')).toEqual([0.5, 0, 0.5])
    expect(column(rows, 'mrr_growth')).toEqual([1, r12(50 / 300), r12(-70 / 350)])
  })

  it('a rolling average needs all its periods', async () => {
    const rows = await ask({ metrics: ['smoothed_churn'] })
    expect(column(rows, 'smoothed_churn')).toEqual([null, null, 0.25, 0.25, 0.25, 0])
  })

  it('a trailing window sums the months before each period end', async () => {
    const rows = await ask({ metrics: ['bookings_t2m'], to: '2024-04-30' })
    expect(column(rows, 'bookings_t2m')).toEqual([100, 400, 300, 0])
  })
})

describe('dimensions and filters', () => {
  it('groups by a dimension joined through the entity, without duplicating rows', async () => {
    const rows = await ask({ metrics: ['mrr'], dimensions: ['segment'], to: '2024-03-31' })
    expect(rows).toEqual([
      { period: '2024-01-01', segment: 'ent', mrr: 0 },
      { period: '2024-01-01', segment: 'smb', mrr: 150 },
      { period: '2024-02-01', segment: 'ent', mrr: 200 },
      { period: '2024-02-01', segment: 'smb', mrr: 100 },
      { period: '2024-03-01', segment: 'ent', mrr: 200 },
      { period: '2024-03-01', segment: 'smb', mrr: 150 },
    ])
  })

  it('prevents fan-out: a dimension behind a one-to-many join is not available', async () => {
    // Customer a has two subscriptions; joining them under a sum would count a's MRR twice.
    await expect(ask({ metrics: ['mrr'], dimensions: ['plan'] })).rejects.toThrow(
      /dimension plan is not available for mrr/,
    )
  })

  it('filters by a dimension value passed as a parameter', async () => {
    const rows = await ask({
      metrics: ['mrr'],
      filters: [{ dimension: 'segment', op: '=', value: 'ent' }],
      to: '2024-02-29',
    })
    expect(column(rows, 'mrr')).toEqual([0, 200])
  })

  it('a filter value cannot inject SQL', async () => {
    const hostile = "smb' OR 1=1; DROP TABLE marts.dim_customer; --"
    const answer = await answerMetricQuery(
      { metrics: ['mrr'], filters: [{ dimension: 'segment', op: '=', value: hostile }], to: '2024-01-31' },
      { engine, catalog },
    )
    expect(answer.rows).toEqual([{ period: '2024-01-01', mrr: 0 }])
    expect(answer.provenance.sql).not.toContain('DROP')
    expect(answer.provenance.parameters).toContain(hostile)
    expect((await engine.run('SELECT count(*) AS n FROM marts.dim_customer')).rows[0]?.n).toBe(3)
  })
})

describe('retention, cohorts and conversion', () => {
  it('net and gross retention over the customers active at the lookback', async () => {
    const rows = await ask({ metrics: ['nrr_2m', 'grr_2m'], grain: 'quarter' })
    // Q1: base = January {a 100, c 50}; March {a 150, c 0} → NRR 150/150, GRR (100 + 0)/150.
    // Q2 (latest May): base = March {a 150, b 200}; May {a 0, b 100} → 100/350 both ways.
    expect(rows).toEqual([
      { period: '2024-01-01', nrr_2m: 1, grr_2m: r12(100 / 150) },
      { period: '2024-04-01', nrr_2m: r12(100 / 350), grr_2m: r12(100 / 350) },
    ])
  })

  it('a cohort table: cohort MRR at each age over the cohort new MRR', async () => {
    const rows = await ask({ metrics: ['cohort_retention'] })
    const january = rows
      .filter((r) => r.period === '2024-01-01')
      .map((r) => [r.periods_since, r.cohort_retention])
    expect(january).toEqual([
      [0, 1],
      [1, r12(100 / 150)],
      [2, 1],
      [3, r12(80 / 150)],
      [4, 0],
    ])
    expect(rows.filter((r) => r.period === '2024-02-01').map((r) => r.cohort_retention)).toEqual([
      1, 1, 1, 0.5,
    ])
  })

  it('conversion within N days of the base event, by the base event period', async () => {
    const rows = await ask({ metrics: ['mql_to_sql'], to: '2024-02-29' })
    // January MQLs p1 (SQL after 27 days) and p2 (SQL after 133 days): 1 of 2. February p3: none.
    expect(column(rows, 'mql_to_sql')).toEqual([0.5, 0])
  })
})

describe('clear errors', () => {
  it('names an unknown metric', async () => {
    await expect(ask({ metrics: ['mmr'] })).rejects.toThrow(UserError)
    await expect(ask({ metrics: ['mmr'] })).rejects.toThrow('unknown metric mmr')
  })

  it('refuses a grain finer than a snapshot', async () => {
    await expect(ask({ metrics: ['mrr'], grain: 'day' })).rejects.toThrow(
      /mrr is available at month grain or coarser/,
    )
  })

  it('rejects a bad date', async () => {
    await expect(ask({ metrics: ['mrr'], from: '2024-13-01' })).rejects.toThrow(/invalid query: from/)
  })

  it('keeps cohort tables on their own', async () => {
    await expect(ask({ metrics: ['cohort_retention', 'mrr'] })).rejects.toThrow(
      /cohort table; query it on its own/,
    )
  })
})
