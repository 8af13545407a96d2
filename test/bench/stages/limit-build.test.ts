import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { benchPaths } from '../../../bench/lib/paths.js'
import { run as generate } from '../../../bench/stages/generate.js'
import { run as land } from '../../../bench/stages/land.js'
import { run as limitBuild } from '../../../bench/stages/limit-build.js'
import { DuckDbEngine } from '../../../core/engines/duckdb-engine.js'

/**
 * The hand-written limit must answer what the demo generator knows to be true, or the benchmark's
 * agreement checks would compare against a wrong baseline.
 */
describe('the limit’s marts on a small demo company', () => {
  const work = mkdtempSync(join(tmpdir(), 'revops-bench-limit-'))
  const options = { work, scale: 0.05, seed: 7, repeat: 1 }
  const paths = benchPaths(work)
  let engine: DuckDbEngine
  const truth = (file: string) =>
    parse(readFileSync(join(paths.exports, '_truth', file)), { columns: true }) as Record<string, string>[]

  beforeAll(async () => {
    await generate(options)
    await land(options)
    await limitBuild(options)
    engine = await DuckDbEngine.open({ path: paths.limitWarehouse, readOnly: true })
  })
  afterAll(async () => {
    await engine?.close()
    rmSync(work, { recursive: true, force: true })
  })

  it('has each month’s MRR, active customers and new MRR of the ground truth', async () => {
    const { rows } = await engine.run(
      `SELECT strftime(month, '%Y-%m') AS month, round(sum(mrr), 2) AS mrr,
              count(*) FILTER (WHERE is_active) AS active, round(sum(new_mrr), 2) AS new_mrr
       FROM customer_mrr_month GROUP BY 1 ORDER BY 1`,
    )
    const expected = truth('mrr_by_month.csv').map((t) => ({
      month: t.month,
      mrr: Number(t.mrr),
      active: Number(t.active_customers),
      new_mrr: Number(t.new_mrr),
    }))
    expect(rows.length).toBeGreaterThan(12)
    expect(rows.map((r) => r.month)).toEqual(expected.map((t) => t.month))
    for (const [i, t] of expected.entries()) {
      const row = rows[i] as { mrr: number; active: number; new_mrr: number }
      expect(row.active).toBe(t.active)
      // Customers' MRR is rounded to cents before it is added up; the truth rounds the total.
      expect(Math.abs(row.mrr - t.mrr)).toBeLessThanOrEqual(0.005 * t.active + 1e-9)
      expect(Math.abs(row.new_mrr - t.new_mrr)).toBeLessThanOrEqual(0.005 * t.active + 1e-9)
    }
  })

  it('has each month’s won and lost opportunities of the ground truth', async () => {
    const { rows } = await engine.run(
      `SELECT strftime(close_date, '%Y-%m') AS month, count(*) FILTER (WHERE is_won) AS won,
              count(*) FILTER (WHERE is_closed AND NOT is_won) AS lost
       FROM opportunities WHERE is_closed GROUP BY 1 ORDER BY 1`,
    )
    const expected = truth('opportunities_by_month.csv')
      .map((t) => ({ month: t.month, won: Number(t.won_count), lost: Number(t.lost_count) }))
      .filter((t) => t.won + t.lost > 0)
    expect(rows).toEqual(expected)
  })

  it('has each month’s new leads, MQLs and SQLs of the ground truth', async () => {
    const { rows } = await engine.run(
      `SELECT strftime(entered_at, '%Y-%m') AS month, count(DISTINCT person_id) FILTER (WHERE stage = 'lead') AS leads,
              count(DISTINCT person_id) FILTER (WHERE stage = 'mql') AS mqls,
              count(DISTINCT person_id) FILTER (WHERE stage = 'sql') AS sqls
       FROM lifecycle GROUP BY 1 ORDER BY 1`,
    )
    const expected = truth('funnel_by_month.csv')
      .map((t) => ({ month: t.month, leads: Number(t.leads), mqls: Number(t.mqls), sqls: Number(t.sqls) }))
      .filter((t) => t.leads + t.mqls + t.sqls > 0)
    expect(rows).toEqual(expected)
  })
})
