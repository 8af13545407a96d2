import { readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDemo } from '../../../sources/demo/generate-demo.js'

// biome-ignore lint/suspicious/noExplicitAny: parsed vendor JSON is walked freely in assertions
type Json = Record<string, any>

const base = join(tmpdir(), `revops-demo-test-${process.pid}`)
const dirA = join(base, 'a')
const dirB = join(base, 'b')
let heapGrowth = 0

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort()
}

async function text(rel: string): Promise<string> {
  const raw = await readFile(join(dirA, rel))
  return rel.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8')
}

async function jsonl(rel: string): Promise<Json[]> {
  return (await text(rel))
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Json)
}

async function csv(rel: string): Promise<Record<string, string>[]> {
  return parse(await text(rel), { columns: true }) as Record<string, string>[]
}

beforeAll(async () => {
  const before = process.memoryUsage().heapUsed
  await generateDemo({ scale: 1, seed: 7, outDir: dirA })
  heapGrowth = process.memoryUsage().heapUsed - before
  await generateDemo({ scale: 1, seed: 7, outDir: dirB })
}, 120_000)

afterAll(async () => {
  await rm(base, { recursive: true, force: true })
})

describe('generateDemo', () => {
  it('writes every export file under the names CONTRACT.md lists', async () => {
    const files = await listFiles(dirA)
    const exports = files.filter((f) => !f.startsWith('_truth/'))
    expect(exports).toEqual(
      [
        'ads/ad_spend.csv',
        'ads/google_ads.csv',
        'ads/linkedin_ads.csv',
        'ads/meta_ads.csv',
        'finance/account_map.csv',
        'finance/fx_rates.csv',
        'finance/gross_margin.csv',
        'finance/quotas.csv',
        'finance/sm_expense.csv',
        'hubspot/companies.jsonl',
        'hubspot/contacts.jsonl.gz',
        'hubspot/deal_pipelines.jsonl',
        'hubspot/deals.jsonl',
        'salesforce/Account.csv',
        'salesforce/Campaign.csv',
        'salesforce/CampaignMember.csv',
        'salesforce/Contact.csv',
        'salesforce/Lead.csv',
        'salesforce/Opportunity.csv',
        'salesforce/OpportunityFieldHistory.csv',
        'salesforce/OpportunityHistory.csv',
        'salesforce/User.csv',
        'stripe/charges.jsonl.gz',
        'stripe/coupons.jsonl',
        'stripe/credit_notes.jsonl',
        'stripe/customers.jsonl',
        'stripe/events.jsonl.gz',
        'stripe/invoice_line_items.jsonl.gz',
        'stripe/invoices.jsonl.gz',
        'stripe/prices.jsonl',
        'stripe/products.jsonl',
        'stripe/refunds.jsonl',
        'stripe/subscription_items.jsonl.gz',
        'stripe/subscriptions.jsonl.gz',
      ].sort(),
    )
    expect(files).toContain('_truth/mrr_by_customer_month.csv')
    expect(files).toContain('_truth/funnel_by_month.csv')
    expect(files).toContain('_truth/opportunities_by_month.csv')
  })

  it('is byte-identical for the same seed', async () => {
    const files = await listFiles(dirA)
    expect(await listFiles(dirB)).toEqual(files)
    for (const f of files) {
      const [a, b] = await Promise.all([readFile(join(dirA, f)), readFile(join(dirB, f))])
      expect(a.equals(b), f).toBe(true)
    }
  })

  it('differs for another seed', async () => {
    const other = join(base, 'c')
    await generateDemo({ scale: 0.05, seed: 8, outDir: other })
    const small = join(base, 'd')
    await generateDemo({ scale: 0.05, seed: 7, outDir: small })
    const [a, b] = await Promise.all([
      readFile(join(other, 'stripe/customers.jsonl')),
      readFile(join(small, 'stripe/customers.jsonl')),
    ])
    expect(a.equals(b)).toBe(false)
  })

  it('stays within memory bounds at scale 1 (everything is streamed)', () => {
    expect(heapGrowth).toBeLessThan(300 * 1024 * 1024)
  })

  it('gives recurring invoice lines a service period with start before end, in both API shapes', async () => {
    const prices = new Map((await jsonl('stripe/prices.jsonl')).map((p) => [p.id as string, p]))
    const lines = await jsonl('stripe/invoice_line_items.jsonl.gz')
    let current = 0
    let legacy = 0
    for (const l of lines) {
      const priceId: string = l.pricing?.price_details?.price ?? l.price?.id
      if (l.pricing) current++
      if (l.price) legacy++
      const p = prices.get(priceId)
      expect(p, priceId).toBeDefined()
      if (p?.type === 'recurring' && p.recurring.usage_type === 'licensed') {
        expect(l.period.start).toBeLessThan(l.period.end)
      }
    }
    expect(current).toBeGreaterThan(legacy)
    expect(legacy).toBeGreaterThan(0)
  })

  it('writes both the 2025-03-31 and the pre-2025 shapes of invoices and subscriptions', async () => {
    const invoices = await jsonl('stripe/invoices.jsonl.gz')
    const withParent = invoices.filter((i) => i.parent?.type === 'subscription_details')
    const legacy = invoices.filter((i) => 'subscription' in i && !('parent' in i))
    expect(withParent.length).toBeGreaterThan(0)
    expect(legacy.length).toBeGreaterThan(0)
    expect(withParent[0]?.parent.subscription_details.subscription).toMatch(/^sub_/)
    const subs = await jsonl('stripe/subscriptions.jsonl.gz')
    const itemPeriods = subs.filter(
      (s) => !('current_period_start' in s) && s.items.data[0].current_period_start,
    )
    const subPeriods = subs.filter(
      (s) => typeof s.current_period_start === 'number' && !('current_period_start' in s.items.data[0]),
    )
    expect(itemPeriods.length).toBeGreaterThan(0)
    expect(subPeriods.length).toBeGreaterThan(0)
    const statuses = new Set(invoices.map((i) => i.status))
    for (const s of ['paid', 'open', 'void', 'uncollectible', 'draft']) expect(statuses).toContain(s)
    const subStatuses = new Set(subs.map((s) => s.status))
    for (const s of ['active', 'canceled', 'past_due', 'trialing']) expect(subStatuses).toContain(s)
    expect(subs.some((s) => s.cancel_at_period_end === true)).toBe(true)
    expect(subs.some((s) => s.pause_collection !== null)).toBe(true)
  })

  it('keeps JPY amounts in whole yen (zero-decimal)', async () => {
    const prices = (await jsonl('stripe/prices.jsonl')).filter((p) => p.currency === 'jpy')
    expect(prices.find((p) => p.lookup_key === 'growth_jpy_m')?.unit_amount).toBe(8800)
    const lines = (await jsonl('stripe/invoice_line_items.jsonl.gz')).filter((l) => l.currency === 'jpy')
    expect(lines.length).toBeGreaterThan(0)
    for (const l of lines) expect(Number.isInteger(l.amount)).toBe(true)
    const full = lines.find(
      (l) =>
        (l.pricing?.price_details?.price ?? l.price?.id) ===
          prices.find((p) => p.lookup_key === 'growth_jpy_m')?.id && l.amount > 0,
    )
    if (full) expect(full.amount).toBe(8800 * full.quantity)
  })

  it('writes a negative proration credit next to the charge for the new plan on an upgrade', async () => {
    const lines = await jsonl('stripe/invoice_line_items.jsonl.gz')
    const isProration = (l: Json) => l.parent?.subscription_item_details?.proration ?? l.proration ?? false
    const byInvoice = new Map<string, Json[]>()
    for (const l of lines) byInvoice.set(l.invoice, [...(byInvoice.get(l.invoice) ?? []), l])
    const upgrades = [...byInvoice.values()].filter(
      (ls) =>
        ls.some((l) => isProration(l) && l.amount < 0) && ls.some((l) => isProration(l) && l.amount > 0),
    )
    expect(upgrades.length).toBeGreaterThan(0)
    const credit = upgrades[0]?.find((l) => l.amount < 0)
    expect(credit?.description).toMatch(/^Unused time/)
  })

  it('keeps each opportunity equal to its last history row, with history a current-value report cannot see', async () => {
    const opps = await csv('salesforce/Opportunity.csv')
    const history = await csv('salesforce/OpportunityHistory.csv')
    const byOpp = new Map<string, Record<string, string>[]>()
    for (const h of history)
      byOpp.set(h.OpportunityId ?? '', [...(byOpp.get(h.OpportunityId ?? '') ?? []), h])
    let fellBack = 0
    for (const o of opps) {
      const rows = byOpp.get(o.Id ?? '') ?? []
      expect(rows.length).toBeGreaterThan(0)
      const last = rows.at(-1)
      expect(last?.StageName).toBe(o.StageName)
      expect(last?.Amount).toBe(o.Amount)
      expect(last?.CloseDate).toBe(o.CloseDate)
      const stages = rows.map((r) => r.StageName)
      const n = stages.indexOf('Negotiation/Review')
      if (n >= 0 && stages.slice(n + 1).includes('Proposal/Price Quote')) fellBack++
    }
    expect(fellBack).toBeGreaterThan(0)
    expect(history[0]?.CreatedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/)
    expect(new Set(opps.map((o) => o.IsWon))).toEqual(new Set(['true', 'false']))
    const raw = (await text('salesforce/Opportunity.csv')).split('\n')[0]
    expect(raw?.startsWith('"Id","IsDeleted","AccountId"')).toBe(true)
  })

  it('has duplicated and deleted accounts, converted leads and linkable ids', async () => {
    const accounts = await csv('salesforce/Account.csv')
    expect(accounts.some((a) => a.IsDeleted === 'true' && a.MasterRecordId)).toBe(true)
    const names = new Map<string, number>()
    for (const a of accounts) names.set(a.Website ?? '', (names.get(a.Website ?? '') ?? 0) + 1)
    expect([...names.values()].some((n) => n > 1)).toBe(true)
    const leads = await csv('salesforce/Lead.csv')
    const converted = leads.filter((l) => l.IsConverted === 'true')
    expect(converted.length).toBeGreaterThan(0)
    expect(converted.every((l) => l.ConvertedAccountId && l.ConvertedOpportunityId && l.ConvertedDate)).toBe(
      true,
    )
    const contacts = await jsonl('hubspot/contacts.jsonl.gz')
    const emails = new Set(contacts.map((c) => c.properties.email))
    expect(leads.every((l) => emails.has(l.Email))).toBe(true)
    const map = await csv('finance/account_map.csv')
    const ids = new Set(accounts.map((a) => a.Id))
    expect(map.length).toBeGreaterThan(0)
    expect(map.every((m) => ids.has(m.crm_account_id))).toBe(true)
  })

  it('writes HubSpot CRM v3 objects with lifecycle dates, some skipping stages', async () => {
    const contacts = await jsonl('hubspot/contacts.jsonl.gz')
    for (const c of contacts.slice(0, 50)) {
      expect(Object.keys(c)).toEqual(
        expect.arrayContaining(['id', 'properties', 'createdAt', 'updatedAt', 'archived']),
      )
    }
    expect(contacts.some((c) => c.properties.hs_v2_date_entered_marketingqualifiedlead)).toBe(true)
    expect(
      contacts.some(
        (c) =>
          c.properties.hs_lifecyclestage_salesqualifiedlead_date &&
          !c.properties.hs_lifecyclestage_marketingqualifiedlead_date,
      ),
    ).toBe(true)
    const deals = await jsonl('hubspot/deals.jsonl')
    expect(deals.some((d) => d.properties.hs_date_entered_closedwon)).toBe(true)
    expect(deals.some((d) => d.properties.hs_date_entered_75123003)).toBe(true)
  })

  it('ties paid leads to ad campaigns by UTM campaign', async () => {
    const campaigns = await csv('salesforce/Campaign.csv')
    const utms = new Set(campaigns.map((c) => c.UTM_Campaign__c).filter(Boolean))
    const leads = (await csv('salesforce/Lead.csv')).filter(
      (l) => l.LeadSource === 'Paid Search' || l.LeadSource === 'Paid Social',
    )
    expect(leads.length).toBeGreaterThan(0)
    expect(leads.every((l) => utms.has(l.UTM_Campaign__c))).toBe(true)
    const google = await csv('ads/google_ads.csv')
    expect(Number.isInteger(Number(google[0]?.['metrics.cost_micros']))).toBe(true)
  })

  it('agrees with an independent reading of the Stripe files under mrr-policy v1', async () => {
    const prices = new Map((await jsonl('stripe/prices.jsonl')).map((p) => [p.id as string, p]))
    const invoices = new Map((await jsonl('stripe/invoices.jsonl.gz')).map((i) => [i.id as string, i]))
    const fx = new Map(
      (await csv('finance/fx_rates.csv')).map((r) => [
        `${r.currency}:${r.date}`,
        Number(r.rate_to_reporting),
      ]),
    )
    const segs = new Map<string, { start: number; end: number; usd: number }[]>()
    for (const l of await jsonl('stripe/invoice_line_items.jsonl.gz')) {
      const inv = invoices.get(l.invoice)
      if (!inv || (inv.status !== 'paid' && inv.status !== 'open') || l.amount === 0) continue
      const p = prices.get(l.pricing?.price_details?.price ?? l.price?.id)
      if (p?.type !== 'recurring' || p.recurring.usage_type !== 'licensed') continue
      const months = (p.recurring.interval === 'year' ? 12 : 1) * p.recurring.interval_count
      const discount = (l.discount_amounts as { amount: number }[]).reduce((s, d) => s + d.amount, 0)
      const taxes: { amount: number; inclusive: boolean }[] = l.taxes
        ? l.taxes.map((t: Json) => ({ amount: t.amount, inclusive: t.tax_behavior === 'inclusive' }))
        : (l.tax_amounts ?? [])
      const inclusive = taxes.filter((t) => t.inclusive).reduce((s, t) => s + t.amount, 0)
      const minor = l.currency === 'jpy' ? 1 : 100
      const rate =
        l.currency === 'usd'
          ? 1
          : (fx.get(
              `${l.currency.toUpperCase()}:${new Date(l.period.start * 1000).toISOString().slice(0, 10)}`,
            ) ?? Number.NaN)
      const monthly =
        ((p.unit_amount * l.quantity) / months) *
        ((l.amount - discount - inclusive) / l.amount) *
        Math.sign(l.amount)
      const list = segs.get(inv.customer) ?? []
      list.push({ start: l.period.start, end: l.period.end, usd: (monthly / minor) * rate })
      segs.set(inv.customer, list)
    }
    const truth = await csv('_truth/mrr_by_customer_month.csv')
    expect(truth.length).toBeGreaterThan(1000)
    let checked = 0
    for (const row of truth) {
      const [y, m] = (row.month ?? '').split('-').map(Number)
      const next = Date.UTC(y ?? 0, m ?? 0, 1) / 1000
      const mine = (segs.get(row.customer_id ?? '') ?? [])
        .filter((s) => s.start < next && s.end >= next)
        .reduce((a, s) => a + s.usd, 0)
      expect(Math.abs(mine - Number(row.mrr)), `${row.customer_id} ${row.month}`).toBeLessThan(0.01)
      checked++
    }
    expect(checked).toBe(truth.length)
  })

  it('prices an annual plan at a twelfth per month and keeps trials and write-offs out of MRR', async () => {
    const customers = await csv('_truth/customers.csv')
    const truth = await csv('_truth/mrr_by_customer_month.csv')
    const withMrr = new Set(truth.filter((t) => Number(t.mrr) > 0).map((t) => t.customer_id))
    const trialOnly = customers.filter(
      (c) => c.tags === `plan:${c.tags?.split('plan:')[1]?.split(';')[0]};trial_not_converted`,
    )
    for (const c of trialOnly) expect(withMrr.has(c.customer_id)).toBe(false)
    const annual = customers.find((c) => c.tags === 'plan:growth_usd_y' && c.currency === 'usd')
    if (annual) {
      const values = truth.filter((t) => t.customer_id === annual.customer_id).map((t) => Number(t.mrr))
      for (const v of values.filter((x) => x > 0)) expect((v * 12) % 600).toBeCloseTo(0, 6)
    }
  })
})
