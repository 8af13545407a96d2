import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { DuckDbEngine } from '../../../core/engines/duckdb-engine.js'
import { LocalLakeStore } from '../../../core/lake/local-lake-store.js'
import { generateDemo } from '../../../sources/demo/generate-demo.js'
import { landFiles } from '../../../sources/landing/land-files.js'
import {
  build,
  createGraph,
  localLakeSources,
  type RunResults,
  Target,
} from '../../../transforms/framework/index.js'
import { createBillingModels } from '../../../transforms/models/billing.js'
import { MRR_POLICY_V1 } from '../../../transforms/models/revenue-policy.js'

/**
 * End to end against the demo generator's ground truth (sources/demo, `_truth/`): generate the
 * demo company at scale 1, land its Stripe and finance exports, build the billing models under
 * mrr-policy v1, and compare every customer-month of fct_customer_mrr_month with
 * `_truth/mrr_by_customer_month.csv` to the cent. The generator computes MRR from its own billing
 * model by METRICS.md; the models compute it from the exported Stripe objects.
 */
const CustomerMonth = z.object({ customer_id: z.string(), month: z.string(), mrr: z.coerce.number() })
const MonthTotals = z.object({
  month: z.string(),
  mrr: z.coerce.number(),
  active_customers: z.coerce.number(),
  new_mrr: z.coerce.number(),
  expansion_mrr: z.coerce.number(),
  contraction_mrr: z.coerce.number(),
  churned_mrr: z.coerce.number(),
  reactivation_mrr: z.coerce.number(),
})
/** Half a cent: truth keeps six decimals, the mart rounds to cents. */
const CENT = 0.005 + 1e-9

describe('the billing marts against the demo ground truth (scale 1)', () => {
  let root: string
  let engine: DuckDbEngine
  let run: RunResults
  const truth = (name: string) =>
    parse(readFileSync(join(root, 'demo', '_truth', name), 'utf8'), { columns: true }) as unknown[]

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'revops-demo-truth-'))
    const demo = join(root, 'demo')
    await generateDemo({ scale: 1, seed: 42, outDir: demo })
    const lake = new LocalLakeStore(join(root, 'lake'))
    for (const source of ['stripe', 'finance'] as const) {
      const landed = await landFiles(lake, {
        source,
        from: join(demo, source),
        now: new Date('2026-01-02T06:00:00Z'),
      })
      expect(landed.totals.quarantined).toBe(0)
    }
    engine = await DuckDbEngine.open({ path: join(root, 'warehouse.duckdb') })
    run = await build({
      target: new Target(engine),
      graph: createGraph(createBillingModels(MRR_POLICY_V1)),
      sources: localLakeSources(join(root, 'lake')),
      threads: 2,
    })
  }, 600_000)
  afterAll(async () => {
    await engine?.close()
    rmSync(root, { recursive: true, force: true })
  })

  it('builds every model and passes every data test', () => {
    const problems = run.models
      .filter((m) => m.status !== 'success')
      .map((m) => ({
        model: m.model,
        status: m.status,
        error: m.error,
        tests: m.tests.filter((t) => t.status !== 'pass'),
      }))
    expect(problems).toEqual([])
  })

  it('agrees with _truth/mrr_by_customer_month.csv on every customer-month, to the cent', async () => {
    const expected = new Map(
      truth('mrr_by_customer_month.csv')
        .map((row) => CustomerMonth.parse(row))
        .map((r) => [`${r.customer_id} ${r.month}-01`, r.mrr]),
    )
    const actual = new Map(
      (
        await engine.run<{ customer_id: string; month: string; mrr: number }>(
          'SELECT customer_id, month, mrr FROM marts.fct_customer_mrr_month',
        )
      ).rows.map((r) => [`${r.customer_id} ${r.month}`, r.mrr]),
    )
    const disagreements = [...new Set([...expected.keys(), ...actual.keys()])]
      .filter(
        (key) => !(Math.abs((actual.get(key) ?? Number.NaN) - (expected.get(key) ?? Number.NaN)) <= CENT),
      )
      .map((key) => ({ key, mart: actual.get(key), truth: expected.get(key) }))
    expect(expected.size).toBeGreaterThan(1000)
    expect(disagreements.slice(0, 20)).toEqual([])
    expect(actual.size).toBe(expected.size)
  })

  it('agrees with _truth/mrr_by_month.csv on active customers, new, churned and reactivation MRR; expansion less contraction differs by FX alone', async () => {
    const sums = await engine.run<Record<string, number | string>>(
      `SELECT month, count(CASE WHEN is_active THEN 1 END) AS active_customers, sum(mrr) AS mrr, sum(new_mrr) AS new_mrr,
         sum(churned_mrr) AS churned_mrr, sum(reactivation_mrr) AS reactivation_mrr,
         sum(expansion_mrr) - sum(contraction_mrr) + sum(fx_mrr) AS net_change
       FROM marts.fct_customer_mrr_month GROUP BY month`,
    )
    const byMonth = new Map(sums.rows.map((r) => [String(r.month).slice(0, 7), r]))
    for (const t of truth('mrr_by_month.csv').map((row) => MonthTotals.parse(row))) {
      const ours = byMonth.get(t.month)
      // Each customer-month is rounded to cents in the mart, the truth's totals only at the end.
      const tolerance = 0.005 * t.active_customers + 0.01
      expect({ month: t.month, active: Number(ours?.active_customers) }).toEqual({
        month: t.month,
        active: t.active_customers,
      })
      for (const [column, value] of [
        ['mrr', t.mrr],
        ['new_mrr', t.new_mrr],
        ['churned_mrr', t.churned_mrr],
        ['reactivation_mrr', t.reactivation_mrr],
        ['net_change', t.expansion_mrr - t.contraction_mrr],
      ] as const) {
        expect({
          month: t.month,
          column,
          off: Math.abs(Number(ours?.[column] ?? 0) - value) <= tolerance,
        }).toEqual({
          month: t.month,
          column,
          off: true,
        })
      }
    }
  })
})
