import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { DuckDbEngine } from '../../../core/engines/duckdb-engine.js'
import type { Row } from '../../../core/engines/engine.js'
import { LocalLakeStore } from '../../../core/lake/local-lake-store.js'
import { SOURCE_NAMES } from '../../../sources/contract.js'
import { generateDemo } from '../../../sources/demo/generate-demo.js'
import { landFiles } from '../../../sources/landing/land-files.js'
import {
  build,
  createGraph,
  localLakeSources,
  type RunResults,
  Target,
} from '../../../transforms/framework/index.js'
import { createCrmModels } from '../../../transforms/models/crm.js'
import { MRR_POLICY_V1 } from '../../../transforms/models/revenue-policy.js'

/**
 * End to end against the demo generator's ground truth (sources/demo, `_truth/`): generate the
 * demo company at scale 1, land every vendor's exports, build the CRM and marketing models (with
 * the billing models they read) and compare them with what the generator knows: opportunities won
 * and lost per close month, funnel entries per month, and how each billing customer maps to its
 * CRM account. Ad spend is checked against the raw ad reports summed independently here.
 */
const OppMonth = z.object({
  month: z.string(),
  won_count: z.coerce.number(),
  lost_count: z.coerce.number(),
  won_amount: z.coerce.number(),
  lost_amount: z.coerce.number(),
})
const FunnelMonth = z.object({
  month: z.string(),
  leads: z.coerce.number(),
  mqls: z.coerce.number(),
  sqls: z.coerce.number(),
  opportunities: z.coerce.number(),
  customers: z.coerce.number(),
})
const TruthCustomer = z.object({
  customer_id: z.string(),
  crm_account_id: z.string(),
  account_map: z.enum(['listed', 'domain', 'unmatched', 'none']),
})

describe('the CRM and marketing marts against the demo ground truth (scale 1)', () => {
  let root: string
  let engine: DuckDbEngine
  let run: RunResults
  const csv = (...path: string[]) =>
    parse(readFileSync(join(root, 'demo', ...path), 'utf8'), { columns: true }) as Record<string, string>[]
  const query = async (sql: string): Promise<Row[]> => (await engine.run(sql)).rows

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'revops-demo-crm-truth-'))
    const demo = join(root, 'demo')
    await generateDemo({ scale: 1, seed: 42, outDir: demo })
    const lake = new LocalLakeStore(join(root, 'lake'))
    for (const source of SOURCE_NAMES) {
      const landed = await landFiles(lake, {
        source,
        from: join(demo, source),
        now: new Date('2026-01-02T06:00:00Z'),
      })
      expect(landed.totals.quarantined, source).toBe(0)
    }
    engine = await DuckDbEngine.open({ path: join(root, 'warehouse.duckdb') })
    run = await build({
      target: new Target(engine),
      graph: createGraph(createCrmModels(MRR_POLICY_V1)),
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
      .filter((m) => m.status !== 'success' || m.tests.some((t) => t.status !== 'pass'))
      .map((m) => ({
        model: m.model,
        status: m.status,
        error: m.error,
        tests: m.tests.filter((t) => t.status !== 'pass'),
      }))
    expect(problems).toEqual([])
  })

  it('wins and losses per close month equal the truth, by count and amount', async () => {
    const truth = csv('_truth', 'opportunities_by_month.csv').map((r) => OppMonth.parse(r))
    const rows = await query(`
      SELECT strftime(close_date, '%Y-%m') AS month,
        count(*) FILTER (WHERE is_won) AS won_count, count(*) FILTER (WHERE NOT is_won) AS lost_count,
        coalesce(sum(amount) FILTER (WHERE is_won), 0) AS won_amount,
        coalesce(sum(amount) FILTER (WHERE NOT is_won), 0) AS lost_amount
      FROM marts.fct_opportunity WHERE is_closed GROUP BY 1 ORDER BY 1`)
    expect(truth.length).toBeGreaterThan(24)
    expect(rows.map((r) => OppMonth.parse(r))).toEqual(truth)
  })

  it('first entries into lead, MQL, SQL, opportunity and customer per month equal the truth', async () => {
    const truth = csv('_truth', 'funnel_by_month.csv').map((r) => FunnelMonth.parse(r))
    const rows = await query(`
      SELECT strftime(entered_at, '%Y-%m') AS month,
        count(*) FILTER (WHERE stage = 'lead') AS leads, count(*) FILTER (WHERE stage = 'mql') AS mqls,
        count(*) FILTER (WHERE stage = 'sql') AS sqls, count(*) FILTER (WHERE stage = 'opportunity') AS opportunities,
        count(*) FILTER (WHERE stage = 'customer') AS customers
      FROM marts.fct_lifecycle_event GROUP BY 1 ORDER BY 1`)
    expect(truth.length).toBeGreaterThan(24)
    expect(rows.map((r) => FunnelMonth.parse(r))).toEqual(truth)
  })

  it('maps every billing customer once, to the CRM account the generator linked it to', async () => {
    const truth = csv('_truth', 'customers.csv').map((r) => TruthCustomer.parse(r))
    const dim = new Map((await query('SELECT * FROM marts.dim_customer')).map((r) => [r.customer_id, r]))
    const outcome = truth.map((t) => {
      const row = dim.get(t.customer_id)
      if (t.account_map === 'listed')
        return row?.match_method === 'account_map' && row.crm_account_id === t.crm_account_id
      if (t.account_map === 'domain')
        return row?.match_method === 'domain' && row.crm_account_id === t.crm_account_id
      if (t.account_map === 'unmatched') return row?.match_method === 'unmatched_billing'
      // Self-serve: no Salesforce account; a company email matches its HubSpot company.
      return (
        row?.match_method === 'unmatched_billing' ||
        (row?.match_method === 'domain' && !String(row.crm_account_id).startsWith('001'))
      )
    })
    expect(truth.filter((_, i) => !outcome[i])).toEqual([])
    expect(new Set(truth.map((t) => t.account_map))).toEqual(
      new Set(['listed', 'domain', 'unmatched', 'none']),
    )
    const billingRows = [...dim.values()].filter((r) => r.billing_customer_id !== null)
    expect(billingRows.length).toBe(truth.length)
    // The accounts of customers billed under another name are still there, as unmatched CRM rows.
    const unmatchedAccounts = truth
      .filter((t) => t.account_map === 'unmatched')
      .map((t) => `crm:${t.crm_account_id}`)
    expect(unmatchedAccounts.filter((id) => dim.get(id)?.match_method !== 'unmatched_crm')).toEqual([])
  })

  it('ad spend per month equals the platform reports summed and converted here', async () => {
    const fx = new Map(
      csv('finance', 'fx_rates.csv').map((r) => [`${r.currency}|${r.date}`, Number(r.rate_to_reporting)]),
    )
    const expected = new Map<string, number>()
    const add = (day: string | undefined, amount: number, currency: string | undefined) => {
      const rate = currency === 'USD' ? 1 : fx.get(`${currency}|${day}`)
      if (day === undefined || rate === undefined) throw new Error(`no rate for ${currency} on ${day}`)
      const month = day.slice(0, 7)
      expected.set(month, (expected.get(month) ?? 0) + amount * rate)
    }
    for (const r of csv('ads', 'google_ads.csv'))
      add(r['segments.date'], Number(r['metrics.cost_micros']) / 1e6, r['customer.currency_code'])
    for (const r of csv('ads', 'meta_ads.csv')) add(r.date_start, Number(r.spend), r.account_currency)
    for (const r of csv('ads', 'linkedin_ads.csv'))
      add(r.start_date, Number(r.cost_in_local_currency), r.currency)
    for (const r of csv('ads', 'ad_spend.csv')) add(r.date, Number(r.spend), r.currency)
    const rows = await query(
      `SELECT strftime(spend_date, '%Y-%m') AS month, sum(spend) AS spend FROM marts.fct_ad_spend_daily GROUP BY 1 ORDER BY 1`,
    )
    expect(rows.map((r) => [r.month, Math.round(Number(r.spend) * 100) / 100])).toEqual(
      [...expected].sort().map(([m, v]) => [m, Math.round(v * 100) / 100]),
    )
  })

  it('rebuilds a history whose current state is every opportunity’s current state', async () => {
    const [row] = await query(`
      SELECT count(*) AS opportunities, count(h.opportunity_id) AS with_current_history
      FROM marts.fct_opportunity o LEFT JOIN marts.fct_opportunity_history h
        ON h.opportunity_id = o.opportunity_id AND h.valid_to IS NULL AND h.stage = o.stage AND h.amount = o.amount`)
    expect(Number(row?.opportunities)).toBeGreaterThan(500)
    expect(row?.with_current_history).toBe(row?.opportunities)
  })
})
