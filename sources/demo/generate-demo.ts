import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { UserError } from '../../core/errors.js'
import { type AdCampaign, adCampaigns, utmOf, writeAdSpend } from './ads.js'
import { Biller, type SubScript } from './billing.js'
import { COUPONS, type Currency, intervalMonths, minorPerMajor, PRICES, PRODUCTS, price } from './catalog.js'
import { FxTable } from './fx.js'
import { companyJson, contactJson, dealJson, type Lifecycle, pipelineJson } from './hubspot.js'
import { IdFactory } from './ids.js'
import { settleCustomer } from './ledger.js'
import type { CustomerModel, SubscriptionModel } from './model.js'
import { emailOf, company as makeCompany, person as makePerson } from './names.js'
import { FILES, Outputs } from './outputs.js'
import { Rng } from './prng.js'
import { type OppResult, type OppSpec, type SfRow, simulateOpportunity } from './salesforce.js'
import { type Motion, subscriptionScript } from './scenarios.js'
import {
  CatalogIds,
  chargeJson,
  couponJson,
  creditNoteJson,
  customerJson,
  eventJson,
  invoiceJson,
  lineJson,
  priceJson,
  productJson,
  refundJson,
  type StripeContext,
  subscriptionItemsJson,
  subscriptionJson,
} from './stripe-json.js'
import {
  addMonthKey,
  addMonthsAnchored,
  businessHours,
  DAY,
  dateKey,
  HOUR,
  monthKey,
  monthStart,
  sfDateTime,
} from './time.js'
import { addMovements, customerSeries, emptyTotals, type MonthTotals } from './truth.js'

export const GenerateDemoOptions = z.object({
  scale: z.number().positive().max(1000),
  seed: z.number().int(),
  outDir: z.string().min(1),
  start: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'start must be YYYY-MM')
    .default('2024-01'),
  months: z.number().int().min(1).max(120).default(24),
})
export type GenerateDemoOptions = z.input<typeof GenerateDemoOptions>

export interface GeneratedFile {
  source: string
  path: string
  rows: number
}

type Json = Record<string, unknown>
type Writer = (obj: Json) => void
type SfWriter<O extends Parameters<Outputs['salesforce']>[0]> = (row: SfRow<O>) => void

interface Rep {
  id: string
  name: string
  active: boolean
  hiredAt: number
  leftAt: number | null
}

/**
 * Generates the demo SaaS company's vendor exports (Stripe, Salesforce, HubSpot, ads, finance) and
 * the ground truth for end-to-end checks. Deterministic: the same options give byte-identical files;
 * nothing reads the wall clock. Memory stays bounded at any scale: each prospect is generated,
 * written and forgotten before the next.
 *
 * Systems of record: Salesforce for accounts, opportunities and bookings; HubSpot for the marketing
 * lifecycle (contacts sync to Salesforce as Leads when they become MQLs; HubSpot deals mirror the
 * Salesforce opportunities); Stripe for billing. `finance/account_map.csv` maps most paying
 * Salesforce accounts to Stripe customers; some are left to match by email domain, a few don't match.
 */
export async function generateDemo(input: GenerateDemoOptions): Promise<{ files: GeneratedFile[] }> {
  const parsed = GenerateDemoOptions.safeParse(input)
  if (!parsed.success)
    throw new UserError(
      `generateDemo: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    )
  const o = parsed.data
  const gen = new DemoCompany(o.scale, o.seed, o.start, o.months, await Outputs.open(o.outDir), o.outDir)
  return { files: await gen.run() }
}

class DemoCompany {
  private readonly ids: IdFactory
  private readonly windowStart: number
  private readonly exportAt: number
  private readonly historyStart: number
  private readonly lastMonth: string
  private readonly fx: FxTable
  private readonly biller: Biller
  private readonly catalog: CatalogIds
  private readonly upgradeAt: number
  /** Customers created before this were exported by an older integration pinned to the pre-2025 API version. */
  private readonly legacyBefore: number
  private reps: Rep[] = []
  private adminId = ''
  private campaigns: AdCampaign[] = []
  private eventCampaigns: { id: string; name: string; at: number }[] = []
  private readonly couponUse = new Map<string, number>()
  private readonly mrrTotals = new Map<string, MonthTotals>()
  private readonly oppTotals = new Map<
    string,
    { won: number; lost: number; wonAmount: number; lostAmount: number }
  >()
  private readonly funnel = new Map<string, Record<Lifecycle, number>>()
  private w!: {
    customers: Writer
    subscriptions: Writer
    items: Writer
    invoices: Writer
    lines: Writer
    charges: Writer
    refunds: Writer
    creditNotes: Writer
    events: Writer
    account: SfWriter<'Account'>
    contact: SfWriter<'Contact'>
    lead: SfWriter<'Lead'>
    opportunity: SfWriter<'Opportunity'>
    oppHistory: SfWriter<'OpportunityHistory'>
    oppFieldHistory: SfWriter<'OpportunityFieldHistory'>
    member: SfWriter<'CampaignMember'>
    hsCompany: Writer
    hsContact: Writer
    hsDeal: Writer
    accountMap: (row: Record<string, string>) => void
    truthMrr: (row: Record<string, string | number>) => void
    truthCustomer: (row: Record<string, string | number>) => void
  }

  constructor(
    private readonly scale: number,
    private readonly seed: number,
    private readonly start: string,
    months: number,
    private readonly out: Outputs,
    private readonly dir: string,
  ) {
    this.ids = new IdFactory(seed)
    this.windowStart = monthStart(start)
    this.exportAt = monthStart(addMonthKey(start, months))
    this.lastMonth = addMonthKey(start, months - 1)
    this.historyStart = monthStart(addMonthKey(start, -24))
    this.fx = new FxTable(seed, this.historyStart - 40 * DAY, this.exportAt)
    this.biller = new Biller(this.ids, this.exportAt)
    this.catalog = new CatalogIds(this.historyStart - 200 * DAY)
    this.upgradeAt = monthStart(addMonthKey(start, Math.min(months - 1, 15)))
    this.legacyBefore = monthStart(addMonthKey(start, -12))
  }

  async run(): Promise<GeneratedFile[]> {
    const out = this.out
    const sf = <O extends Parameters<Outputs['salesforce']>[0]>(obj: O) => out.salesforce(obj)
    const accountMap = await out.csv('finance', FILES.finance.account_map, [
      'crm_account_id',
      'billing_customer_id',
    ])
    const truthMrr = await out.csv('truth', FILES.truth.mrr_by_customer_month, [
      'customer_id',
      'month',
      'mrr',
      'currency',
      'mrr_native',
    ])
    const truthCustomer = await out.csv('truth', FILES.truth.customers, [
      'customer_id',
      'currency',
      'created',
      'api_shape',
      'crm_account_id',
      'account_map',
      'motion',
      'tags',
    ])
    this.w = {
      customers: await out.jsonl('stripe', FILES.stripe.customers),
      subscriptions: await out.jsonl('stripe', FILES.stripe.subscriptions),
      items: await out.jsonl('stripe', FILES.stripe.subscription_items),
      invoices: await out.jsonl('stripe', FILES.stripe.invoices),
      lines: await out.jsonl('stripe', FILES.stripe.invoice_line_items),
      charges: await out.jsonl('stripe', FILES.stripe.charges),
      refunds: await out.jsonl('stripe', FILES.stripe.refunds),
      creditNotes: await out.jsonl('stripe', FILES.stripe.credit_notes),
      events: await out.jsonl('stripe', FILES.stripe.events),
      account: await sf('Account'),
      contact: await sf('Contact'),
      lead: await sf('Lead'),
      opportunity: await sf('Opportunity'),
      oppHistory: await sf('OpportunityHistory'),
      oppFieldHistory: await sf('OpportunityFieldHistory'),
      member: await sf('CampaignMember'),
      hsCompany: await out.jsonl('hubspot', FILES.hubspot.companies),
      hsContact: await out.jsonl('hubspot', FILES.hubspot.contacts),
      hsDeal: await out.jsonl('hubspot', FILES.hubspot.deals),
      accountMap: (row) => accountMap.row(row),
      truthMrr: (row) => truthMrr.row(row),
      truthCustomer: (row) => truthCustomer.row(row),
    }
    await this.writeUsers(await sf('User'))
    await this.writeCampaigns(await sf('Campaign'))
    const adSpend = await writeAdSpend(this.seed, this.campaigns, await out.ads(), this.fx, () => out.drain())
    const pipelines = await out.jsonl('hubspot', FILES.hubspot.deal_pipelines)
    for (const p of pipelineJson(this.historyStart - 300 * DAY)) pipelines(p)

    const s = this.scale
    const counts = {
      pre: Math.round(200 * s),
      inbound: Math.round(2600 * s),
      outbound: Math.round(300 * s),
      selfServe: Math.round(300 * s),
    }
    for (let i = 0; i < counts.pre; i++) {
      this.preexisting(Rng.derive(this.seed, 'pre', i), i)
      await out.drain()
    }
    for (let i = 0; i < counts.inbound; i++) {
      this.inbound(Rng.derive(this.seed, 'inbound', i), i)
      await out.drain()
    }
    for (let i = 0; i < counts.outbound; i++) {
      this.outbound(Rng.derive(this.seed, 'outbound', i), i)
      await out.drain()
    }
    for (let i = 0; i < counts.selfServe; i++) {
      this.selfServe(Rng.derive(this.seed, 'self', i), i)
      await out.drain()
    }
    await this.writeCatalog()
    await this.writeFinance(adSpend)
    await this.writeTruth()
    const files = await out.close()
    await writeFile(join(this.dir, '_truth', 'README.md'), TRUTH_README)
    return files.map((f) => ({ ...f, path: f.path }))
  }

  // ---------------------------------------------------------------- reference data

  private async writeUsers(write: SfWriter<'User'>): Promise<void> {
    const rng = Rng.derive(this.seed, 'users')
    const created = this.historyStart - 100 * DAY
    const user = (
      first: string,
      last: string,
      title: string,
      dept: string,
      active: boolean,
      at: number,
    ): string => {
      const id = this.ids.salesforce('005')
      const email = `${first}.${last}@northwind-metrics.com`.toLowerCase()
      write({
        Id: id,
        Username: email,
        FirstName: first,
        LastName: last,
        Name: `${first} ${last}`,
        Email: email,
        Title: title,
        Department: dept,
        IsActive: active,
        UserType: 'Standard',
        ManagerId: null,
        CreatedDate: sfDateTime(at),
        LastModifiedDate: sfDateTime(at),
        SystemModstamp: sfDateTime(at),
      })
      return id
    }
    this.adminId = user('Integration', 'User', 'Integration', 'IT', true, created)
    const n = 6 + Math.ceil(2 * this.scale)
    for (let i = 0; i < n; i++) {
      const p = makePerson(rng)
      const leaves = i === 2
      const hiredAt = i < 4 ? created : this.windowStart + rng.int(0, 300) * DAY
      const leftAt = leaves ? this.windowStart + 400 * DAY : null
      const id = user(p.firstName, `${p.lastName}${i}`, 'Account Executive', 'Sales', !leaves, hiredAt)
      this.reps.push({ id, name: `${p.firstName} ${p.lastName}${i}`, active: !leaves, hiredAt, leftAt })
    }
  }

  private repAt(rng: Rng, t: number): Rep {
    const ok = this.reps.filter((r) => r.hiredAt <= t && (r.leftAt === null || r.leftAt > t))
    return rng.pick(ok.length > 0 ? ok : this.reps)
  }

  private async writeCampaigns(write: SfWriter<'Campaign'>): Promise<void> {
    this.campaigns = adCampaigns(this.seed, this.scale, this.ids, this.windowStart, this.exportAt)
    const created = this.historyStart
    for (const c of this.campaigns) {
      c.sfCampaignId = this.ids.salesforce('701')
      write({
        Id: c.sfCampaignId,
        IsDeleted: false,
        Name: c.name,
        ParentId: null,
        Type:
          c.platform === 'google' || c.platform === 'microsoft' || c.platform === 'capterra'
            ? 'Paid Search'
            : 'Paid Social',
        Status: c.end >= this.exportAt ? 'In Progress' : 'Completed',
        StartDate: dateKey(c.start),
        EndDate: dateKey(c.end - DAY),
        IsActive: c.end >= this.exportAt,
        BudgetedCost: Math.round(c.dailyBudget * ((c.end - c.start) / DAY)),
        ActualCost: null,
        External_Campaign_Id__c: c.id,
        UTM_Campaign__c: c.utm,
        OwnerId: this.adminId,
        CreatedDate: sfDateTime(created),
        LastModifiedDate: sfDateTime(created),
        SystemModstamp: sfDateTime(created),
      })
    }
    for (let q = this.windowStart; q < this.exportAt; q = addMonthsAnchored(q, 3)) {
      const id = this.ids.salesforce('701')
      const at = q + 40 * DAY + 15 * HOUR
      const name = `Webinar ${dateKey(at).slice(0, 7)} - Revenue Metrics`
      this.eventCampaigns.push({ id, name, at })
      write({
        Id: id,
        IsDeleted: false,
        Name: name,
        Type: 'Webinar',
        Status: 'Completed',
        StartDate: dateKey(at),
        EndDate: dateKey(at),
        IsActive: false,
        BudgetedCost: 2000,
        OwnerId: this.adminId,
        CreatedDate: sfDateTime(q),
        LastModifiedDate: sfDateTime(q),
        SystemModstamp: sfDateTime(q),
      })
    }
  }

  // ---------------------------------------------------------------- prospects

  /** A creation time inside the window, growing over time. */
  private windowTime(rng: Rng): number {
    const u = rng.next() ** (1 / 1.35)
    return businessHours(
      this.windowStart + Math.floor(u * (this.exportAt - this.windowStart - 2 * DAY)),
      rng.int(0, 59),
    )
  }

  private countFunnel(stages: Partial<Record<Lifecycle, number>>): void {
    for (const [stage, at] of Object.entries(stages) as [Lifecycle, number][]) {
      if (at >= this.exportAt) continue
      const m = monthKey(at)
      const row = this.funnel.get(m) ?? {
        subscriber: 0,
        lead: 0,
        marketingqualifiedlead: 0,
        salesqualifiedlead: 0,
        opportunity: 0,
        customer: 0,
      }
      row[stage]++
      this.funnel.set(m, row)
    }
  }

  private inbound(rng: Rng, i: number): void {
    const created = this.windowTime(rng)
    const source = rng.weighted([
      ['google', 25],
      ['meta', 12],
      ['linkedin', 10],
      ['microsoft', 3],
      ['capterra', 3],
      ['organic', 22],
      ['direct', 10],
      ['referral', 8],
      ['webinar', 7],
    ] as const)
    let campaign: AdCampaign | null = null
    if (
      source === 'google' ||
      source === 'meta' ||
      source === 'linkedin' ||
      source === 'microsoft' ||
      source === 'capterra'
    ) {
      const live = this.campaigns.filter(
        (c) => c.platform === source && c.start <= created && c.end > created,
      )
      campaign = live.length > 0 ? rng.pick(live) : null
    }
    const webinar =
      source === 'webinar' ? (this.eventCampaigns.filter((e) => e.at <= created).at(-1) ?? null) : null
    const leadSource =
      campaign === null
        ? source === 'organic'
          ? 'Organic Search'
          : source === 'referral'
            ? 'Partner Referral'
            : source === 'webinar'
              ? 'Webinar'
              : 'Web'
        : campaign.platform === 'meta' || campaign.platform === 'linkedin'
          ? 'Paid Social'
          : campaign.platform === 'capterra'
            ? 'Review Site'
            : 'Paid Search'
    const stages: Partial<Record<Lifecycle, number>> = {}
    if (rng.chance(0.1)) stages.subscriber = created - rng.int(5, 60) * DAY
    stages.lead = created
    let t = created
    let sqlAt: number | null = null
    let mqlAt: number | null = null
    if (rng.chance(0.05)) {
      t += rng.int(1, 10) * DAY
      sqlAt = t
    } else if (rng.chance(0.45)) {
      t += rng.int(1, 20) * DAY
      mqlAt = t
      if (rng.chance(0.45)) {
        t += rng.int(2, 15) * DAY
        sqlAt = t
      }
    }
    if (mqlAt !== null) stages.marketingqualifiedlead = mqlAt
    if (sqlAt !== null) stages.salesqualifiedlead = sqlAt
    const convertAt = sqlAt !== null && rng.chance(0.8) ? sqlAt + rng.int(1, 10) * DAY : null
    this.prospect(rng, `i${i.toString(36)}`, {
      created,
      stages,
      leadSource,
      campaign,
      webinar,
      hsSource: campaign
        ? campaign.platform === 'google' ||
          campaign.platform === 'microsoft' ||
          campaign.platform === 'capterra'
          ? 'PAID_SEARCH'
          : 'PAID_SOCIAL'
        : source === 'organic'
          ? 'ORGANIC_SEARCH'
          : source === 'referral'
            ? 'REFERRALS'
            : source === 'webinar'
              ? 'OTHER_CAMPAIGNS'
              : 'DIRECT_TRAFFIC',
      sfLeadAt: mqlAt ?? sqlAt,
      convertAt,
      preexistingWonAt: null,
    })
  }

  private outbound(rng: Rng, i: number): void {
    const created = this.windowTime(rng)
    const stages: Partial<Record<Lifecycle, number>> = { lead: created }
    let convertAt: number | null = null
    if (rng.chance(0.25)) {
      stages.salesqualifiedlead = created + rng.int(3, 30) * DAY
      if (rng.chance(0.8)) convertAt = (stages.salesqualifiedlead ?? created) + rng.int(1, 7) * DAY
    }
    this.prospect(rng, `o${i.toString(36)}`, {
      created,
      stages,
      leadSource: 'Outbound',
      campaign: null,
      webinar: null,
      hsSource: 'OFFLINE',
      sfLeadAt: created,
      convertAt,
      preexistingWonAt: null,
    })
  }

  private preexisting(rng: Rng, i: number): void {
    const wonAt = businessHours(
      this.historyStart + Math.floor(rng.next() * (this.windowStart - this.historyStart - 10 * DAY)),
      rng.int(0, 59),
    )
    if (rng.chance(0.3)) {
      this.selfServe(rng, i, wonAt - 14 * DAY)
      return
    }
    const created = wonAt - rng.int(40, 120) * DAY
    const mql = created + rng.int(1, 10) * DAY
    const sql = mql + rng.int(2, 10) * DAY
    const convertAt = sql + rng.int(1, 5) * DAY
    this.prospect(rng, `p${i.toString(36)}`, {
      created,
      stages: { lead: created, marketingqualifiedlead: mql, salesqualifiedlead: sql },
      leadSource: rng.pick(['Web', 'Partner Referral', 'Organic Search', 'Outbound']),
      campaign: null,
      webinar: null,
      hsSource: 'DIRECT_TRAFFIC',
      sfLeadAt: mql,
      convertAt,
      preexistingWonAt: wonAt,
    })
  }

  /** A marketing or sales prospect: HubSpot contact, Salesforce lead, maybe account + opportunity, maybe a customer. */
  private prospect(
    rng: Rng,
    uniq: string,
    p: {
      created: number
      stages: Partial<Record<Lifecycle, number>>
      leadSource: string
      campaign: AdCampaign | null
      webinar: { id: string; name: string; at: number } | null
      hsSource: string
      sfLeadAt: number | null
      convertAt: number | null
      preexistingWonAt: number | null
    },
  ): void {
    const E = this.exportAt
    const co = makeCompany(rng, uniq)
    const who = makePerson(rng)
    const email = emailOf(who, co.domain)
    const country = rng.weighted([
      ['US', 60],
      ['DE', 18],
      ['FR', 5],
      ['JP', 12],
      ['GB', 5],
    ] as const)
    const owner = this.repAt(rng, p.sfLeadAt ?? p.created)
    const utm = p.campaign ? utmOf(p.campaign) : null
    const hsContactId = this.ids.hubspot('contact', 1_000_000)
    let sfLeadId: string | null = null
    let sfContactId: string | null = null
    let hsCompanyId: string | null = null
    const convertAt = p.convertAt !== null && p.convertAt < E ? p.convertAt : null

    // The Salesforce lead exists once the contact is an MQL (synced) or was created by sales.
    let accountId: string | null = null
    let opp: OppResult | null = null
    if (p.sfLeadAt !== null && p.sfLeadAt < E) {
      sfLeadId = this.ids.salesforce('00Q')
      if (convertAt !== null) {
        accountId = this.ids.salesforce('001')
        sfContactId = this.ids.salesforce('003')
        hsCompanyId = this.ids.hubspot('company', 9_000_000_000)
        const seats = rng.int(5, 60)
        const spec: OppSpec = {
          accountId,
          name: `${co.name} - New Business`,
          ownerId: owner.id,
          createdById: owner.id,
          createdAt: convertAt,
          type: 'New Business',
          leadSource: p.leadSource,
          campaignId: p.campaign?.sfCampaignId ?? p.webinar?.id ?? null,
          amount: Math.round((seats * 60 * 12) / 100) * 100,
          advance: 0.78,
        }
        if (p.preexistingWonAt !== null) spec.forced = { won: true, closeAt: p.preexistingWonAt }
        opp = simulateOpportunity(this.ids, rng, spec, E)
        p.stages.opportunity = convertAt
        if (opp.outcome === 'won' && opp.closedAt !== null) p.stages.customer = opp.closedAt
      }
      const leadStatus =
        convertAt !== null
          ? 'Closed - Converted'
          : p.stages.salesqualifiedlead !== undefined
            ? 'Working - Contacted'
            : rng.pick(['Open - Not Contacted', 'Working - Contacted', 'Closed - Not Converted'])
      const modified = convertAt ?? p.sfLeadAt
      this.w.lead({
        Id: sfLeadId,
        IsDeleted: false,
        LastName: who.lastName,
        FirstName: who.firstName,
        Name: `${who.firstName} ${who.lastName}`,
        Title: who.title,
        Company: co.name,
        Email: email,
        Website: `https://www.${co.domain}`,
        LeadSource: p.leadSource,
        Status: leadStatus,
        Industry: co.industry,
        NumberOfEmployees: co.employees,
        Country: country,
        OwnerId: owner.id,
        IsConverted: convertAt !== null,
        ConvertedDate: convertAt !== null ? dateKey(convertAt) : null,
        ConvertedAccountId: accountId,
        ConvertedContactId: sfContactId,
        ConvertedOpportunityId: opp?.id ?? null,
        UTM_Source__c: utm?.source ?? null,
        UTM_Medium__c: utm?.medium ?? null,
        UTM_Campaign__c: utm?.campaign ?? null,
        CreatedDate: sfDateTime(p.sfLeadAt),
        CreatedById: p.leadSource === 'Outbound' ? owner.id : this.adminId,
        LastModifiedDate: sfDateTime(modified),
        LastModifiedById: owner.id,
        SystemModstamp: sfDateTime(modified + 30),
      })
      const campaignId = p.campaign?.sfCampaignId ?? p.webinar?.id ?? null
      if (campaignId) {
        this.w.member({
          Id: this.ids.salesforce('00v'),
          IsDeleted: false,
          CampaignId: campaignId,
          LeadId: sfLeadId,
          ContactId: sfContactId,
          LeadOrContactId: sfContactId ?? sfLeadId,
          Status: 'Responded',
          HasResponded: true,
          FirstRespondedDate: dateKey(p.created),
          CreatedDate: sfDateTime(p.sfLeadAt),
          LastModifiedDate: sfDateTime(modified),
          SystemModstamp: sfDateTime(modified + 30),
        })
      }
    }

    let customer: CustomerModel | null = null
    let mapping = 'none'
    if (accountId && opp && sfContactId && hsCompanyId && convertAt !== null) {
      const won = opp.outcome === 'won' && opp.closedAt !== null
      const billingStart = won
        ? businessHours((opp.closedAt ?? 0) + rng.int(0, 7) * DAY, rng.int(0, 59))
        : null
      if (billingStart !== null && billingStart < E) {
        const currency: Currency =
          country === 'DE' || country === 'FR' ? 'eur' : country === 'JP' ? 'jpy' : 'usd'
        mapping = rng.weighted([
          ['listed', 85],
          ['domain', 10],
          ['unmatched', 5],
        ] as const)
        customer = this.newCustomer(rng, {
          name: mapping === 'unmatched' ? `${co.name.split(' ')[0]} Holdings` : co.name,
          email:
            mapping === 'unmatched'
              ? `${who.firstName}.${who.lastName}${uniq}@gmail.com`
                  .toLowerCase()
                  .normalize('NFKD')
                  .replace(/[^a-z0-9.@]/g, '')
              : `billing@${co.domain}`,
          currency,
          country,
          created: billingStart,
          motion: 'sales',
          metadata: mapping === 'listed' && rng.chance(0.5) ? { salesforce_account_id: accountId } : {},
        })
        this.runSubscriptions(rng, customer, 'sales', billingStart, false)
        if (currency === 'usd' && rng.chance(0.08))
          this.biller.draftServicesInvoice(customer, E - rng.int(1, 20) * DAY - 5 * HOUR)
        if (mapping === 'listed')
          this.w.accountMap({ crm_account_id: accountId, billing_customer_id: customer.id })
        this.billingOpps(rng, customer, accountId, owner, hsCompanyId, co.name)
      }
      const accountType = customer
        ? customer.subscriptions.every((s) => s.state.endedAt !== null)
          ? 'Former Customer'
          : 'Customer'
        : 'Prospect'
      const accountRow = (
        id: string,
        deleted: boolean,
        master: string | null,
        at: number,
        ownerId: string,
      ): void =>
        this.w.account({
          Id: id,
          IsDeleted: deleted,
          MasterRecordId: master,
          Name: co.name,
          Type: accountType,
          ParentId: null,
          BillingCountry: country,
          Website: `https://www.${co.domain}`,
          Industry: co.industry,
          AnnualRevenue: co.employees * 150_000,
          NumberOfEmployees: co.employees,
          AccountSource: p.leadSource,
          OwnerId: ownerId,
          CreatedDate: sfDateTime(at),
          CreatedById: ownerId,
          LastModifiedDate: sfDateTime(at),
          LastModifiedById: ownerId,
          SystemModstamp: sfDateTime(at + 60),
        })
      accountRow(accountId, false, null, convertAt, owner.id)
      if (rng.chance(0.04)) {
        // The same company entered twice; half of the duplicates were merged (deleted, pointing at the survivor).
        const dupAt = Math.min(E - HOUR, convertAt + rng.int(5, 90) * DAY)
        const merged = rng.chance(0.5)
        accountRow(
          this.ids.salesforce('001'),
          merged,
          merged ? accountId : null,
          dupAt,
          this.repAt(rng, dupAt).id,
        )
      }
      if (rng.chance(0.01)) accountRow(this.ids.salesforce('001'), true, null, convertAt + DAY, owner.id)
      this.w.contact({
        Id: sfContactId,
        IsDeleted: false,
        AccountId: accountId,
        LastName: who.lastName,
        FirstName: who.firstName,
        Name: `${who.firstName} ${who.lastName}`,
        Email: email,
        Title: who.title,
        LeadSource: p.leadSource,
        MailingCountry: country,
        OwnerId: owner.id,
        CreatedDate: sfDateTime(convertAt),
        CreatedById: owner.id,
        LastModifiedDate: sfDateTime(convertAt),
        LastModifiedById: owner.id,
        SystemModstamp: sfDateTime(convertAt + 60),
      })
      this.writeOpp(opp, hsCompanyId)
      this.w.hsCompany(
        companyJson(
          hsCompanyId,
          co.name,
          co.domain,
          co.industry,
          co.employees,
          convertAt,
          customer ? 'customer' : 'opportunity',
          accountId,
        ),
      )
    }

    this.countFunnel(p.stages)
    this.w.hsContact(
      contactJson(
        {
          id: hsContactId,
          email,
          firstName: who.firstName,
          lastName: who.lastName,
          company: co.name,
          jobTitle: who.title,
          createdAt: p.stages.subscriber ?? p.created,
          stages: p.stages,
          source: p.hsSource,
          sourceData1: utm?.source ?? null,
          sourceData2: utm?.campaign ?? null,
          firstUrl: utm
            ? `https://northwind-metrics.com/?utm_source=${utm.source}&utm_medium=${utm.medium}&utm_campaign=${utm.campaign}`
            : null,
          companyId: hsCompanyId,
          salesforceLeadId: sfLeadId,
          salesforceContactId: sfContactId,
          ownerId: null,
        },
        E,
      ),
    )
    if (customer) this.writeCustomer(customer, accountId, mapping, 'sales')
  }

  private selfServe(rng: Rng, i: number, startAt?: number): void {
    const E = this.exportAt
    const created = startAt ?? this.windowTime(rng)
    const co = makeCompany(rng, `s${i.toString(36)}${startAt ? 'p' : ''}`)
    const who = makePerson(rng)
    const personal = rng.chance(0.3)
    const email = personal
      ? `${who.firstName}.${who.lastName}.${i}@gmail.com`
          .toLowerCase()
          .normalize('NFKD')
          .replace(/[^a-z0-9.@]/g, '')
      : emailOf(who, co.domain)
    const currency: Currency = rng.weighted([
      ['usd', 70],
      ['eur', 20],
      ['jpy', 10],
    ] as const)
    const country = currency === 'eur' ? 'DE' : currency === 'jpy' ? 'JP' : 'US'
    const customer = this.newCustomer(rng, {
      name: personal ? `${who.firstName} ${who.lastName}` : co.name,
      email,
      currency,
      country,
      created,
      motion: 'self_serve',
      metadata: {},
    })
    this.runSubscriptions(rng, customer, 'self_serve', created, true)
    const first = customer.subscriptions[0]
    const stages: Partial<Record<Lifecycle, number>> = { lead: created }
    if (
      first &&
      first.trialEnd !== null &&
      first.state.status !== 'paused' &&
      !(first.state.status === 'canceled' && first.state.endedAt === first.trialEnd)
    ) {
      stages.customer = first.trialEnd
    }
    const hsCompanyId = personal ? null : this.ids.hubspot('company', 9_000_000_000)
    if (hsCompanyId)
      this.w.hsCompany(
        companyJson(
          hsCompanyId,
          co.name,
          co.domain,
          co.industry,
          co.employees,
          created,
          stages.customer ? 'customer' : 'lead',
          null,
        ),
      )
    if (created < E) {
      this.countFunnel(stages)
      this.w.hsContact(
        contactJson(
          {
            id: this.ids.hubspot('contact', 1_000_000),
            email,
            firstName: who.firstName,
            lastName: who.lastName,
            company: co.name,
            jobTitle: who.title,
            createdAt: created,
            stages,
            source: rng.pick(['ORGANIC_SEARCH', 'DIRECT_TRAFFIC', 'REFERRALS']),
            sourceData1: null,
            sourceData2: null,
            firstUrl: 'https://northwind-metrics.com/signup',
            companyId: hsCompanyId,
            salesforceLeadId: null,
            salesforceContactId: null,
            ownerId: null,
          },
          E,
        ),
      )
    }
    this.writeCustomer(customer, null, 'none', 'self_serve')
  }

  // ---------------------------------------------------------------- billing

  private newCustomer(
    rng: Rng,
    c: {
      name: string
      email: string
      currency: Currency
      country: string
      created: number
      motion: Motion
      metadata: Record<string, string>
    },
  ): CustomerModel {
    const taxRateKey =
      c.country === 'DE' || c.country === 'FR'
        ? 'de_vat'
        : c.country === 'JP'
          ? 'jp_ct'
          : rng.chance(0.2)
            ? 'us_ny'
            : null
    return {
      id: this.ids.stripe('cus', 14),
      name: c.name,
      email: c.email,
      currency: c.currency,
      created: c.created,
      country: c.country,
      taxRateKey,
      legacy: c.created < this.legacyBefore,
      description: null,
      metadata: c.metadata,
      balance: 0,
      subscriptions: [],
      invoices: [],
      charges: [],
      refunds: [],
      creditNotes: [],
      discounts: [],
    }
  }

  /** The customer's subscriptions: the first, sometimes a second one, and sometimes a comeback after churn. */
  private runSubscriptions(
    rng: Rng,
    customer: CustomerModel,
    motion: Motion,
    start: number,
    trial: boolean,
  ): void {
    const E = this.exportAt
    const script = subscriptionScript(rng, motion, customer.currency, start, E, {
      trial,
      forceLegacyPrice: customer.legacy,
    })
    const first = this.simulate(customer, script, rng)
    if (first.state.status !== 'paused' && first.trialEndBehavior === 'create_invoice' && rng.chance(0.06)) {
      const at = businessHours(start + rng.int(30, 300) * DAY, rng.int(0, 59))
      if (at < E && (first.state.endedAt === null || first.state.endedAt > at)) {
        const second = subscriptionScript(rng, motion, customer.currency, at, E)
        second.tags.push('second_subscription')
        second.end = null
        this.simulate(customer, second, rng)
      }
    }
    const ended = first.state.endedAt
    if (ended !== null && first.trialEndBehavior === 'create_invoice' && rng.chance(0.25)) {
      const at = businessHours(ended + rng.int(60, 240) * DAY, rng.int(0, 59))
      if (at < E) {
        const again = subscriptionScript(rng, motion, customer.currency, at, E)
        again.tags.push('reactivation')
        this.simulate(customer, again, rng)
      }
    }
  }

  private simulate(customer: CustomerModel, script: SubScript, rng: Rng): SubscriptionModel {
    if (script.couponKey)
      this.couponUse.set(script.couponKey, (this.couponUse.get(script.couponKey) ?? 0) + 1)
    const sub = this.biller.simulate(customer, script, rng)
    ;(sub as SubscriptionModel & { script?: SubScript }).script = script
    return sub
  }

  /** Expansion opportunities for upgrades and renewal opportunities for annual plans, won or lost as billing says. */
  private billingOpps(
    rng: Rng,
    customer: CustomerModel,
    accountId: string,
    owner: Rep,
    hsCompanyId: string,
    name: string,
  ): void {
    const E = this.exportAt
    for (const sub of customer.subscriptions) {
      const script = (sub as SubscriptionModel & { script?: SubScript }).script
      if (!script) continue
      let priceKey = script.priceKey
      let qty = script.quantity
      for (const c of script.changes) {
        const before = monthlyUsd(
          priceKey,
          qty,
          customer.currency,
          this.fx.rate(customer.currency, Math.min(c.at, E - DAY)),
        )
        priceKey = c.priceKey ?? priceKey
        qty = c.quantity ?? qty
        const after = monthlyUsd(
          priceKey,
          qty,
          customer.currency,
          this.fx.rate(customer.currency, Math.min(c.at, E - DAY)),
        )
        if (after <= before || c.at >= E || (sub.state.endedAt !== null && sub.state.endedAt < c.at)) continue
        const opp = simulateOpportunity(
          this.ids,
          rng,
          {
            accountId,
            name: `${name} - Expansion`,
            ownerId: owner.id,
            createdById: owner.id,
            createdAt: c.at - rng.int(10, 30) * DAY,
            type: 'Expansion',
            leadSource: null,
            campaignId: null,
            amount: Math.max(100, Math.round(((after - before) * 12) / 100) * 100),
            forced: { won: true, closeAt: c.at },
          },
          E,
        )
        this.writeOpp(opp, hsCompanyId)
      }
      const p = price(script.priceKey)
      if (p.interval !== 'year' || script.changes.some((c) => c.priceKey)) continue
      const anchor = sub.trialEnd ?? sub.created
      for (let k = 1; ; k++) {
        const boundary = addMonthsAnchored(anchor, k * intervalMonths(p))
        const created = boundary - 60 * DAY
        if (created >= E || (sub.state.endedAt !== null && sub.state.endedAt < boundary)) break
        const churned = sub.state.endedAt !== null && sub.state.endedAt === boundary
        const requested = sub.state.canceledAt ?? boundary
        const opp = simulateOpportunity(
          this.ids,
          rng,
          {
            accountId,
            name: `${name} - Renewal ${dateKey(boundary).slice(0, 4)}`,
            ownerId: owner.id,
            createdById: owner.id,
            createdAt: created,
            type: 'Renewal',
            leadSource: null,
            campaignId: null,
            amount:
              Math.round(
                (monthlyUsd(
                  script.priceKey,
                  script.quantity,
                  customer.currency,
                  this.fx.rate(customer.currency, created),
                ) *
                  12) /
                  100,
              ) * 100,
            forced: {
              won: !churned,
              closeAt: churned ? Math.max(created + DAY, Math.min(requested, boundary)) : boundary,
            },
          },
          E,
        )
        this.writeOpp(opp, hsCompanyId, true)
        if (churned) break
      }
    }
  }

  private writeOpp(opp: OppResult, hsCompanyId: string, renewal = false): void {
    this.w.opportunity(opp.opportunity)
    for (const h of opp.history) this.w.oppHistory(h)
    for (const f of opp.fieldHistory) this.w.oppFieldHistory(f)
    if (opp.outcome !== 'open' && opp.closedAt !== null) {
      const m = opp.closeDate.slice(0, 7)
      const t = this.oppTotals.get(m) ?? { won: 0, lost: 0, wonAmount: 0, lostAmount: 0 }
      if (opp.outcome === 'won') {
        t.won++
        t.wonAmount += opp.amount
      } else {
        t.lost++
        t.lostAmount += opp.amount
      }
      this.oppTotals.set(m, t)
    }
    this.w.hsDeal(
      dealJson({
        id: this.ids.hubspot('deal', 20_000_000_000),
        name: String(opp.opportunity.Name),
        amount: opp.amount,
        closeDate: opp.closeDate,
        createdAt: opp.spec.createdAt,
        visits: opp.visits,
        renewal,
        dealType: opp.spec.type === 'New Business' ? 'newbusiness' : 'existingbusiness',
        companyId: hsCompanyId,
        ownerId: null,
        salesforceOpportunityId: opp.id,
      }),
    )
  }

  private writeCustomer(
    customer: CustomerModel,
    accountId: string | null,
    mapping: string,
    motion: Motion,
  ): void {
    const E = this.exportAt
    settleCustomer(customer, this.ids, Rng.derive(this.seed, 'ledger', customer.id), E)
    const ctx: StripeContext = {
      ids: this.catalog,
      exportAt: E,
      discounts: new Map(customer.discounts.map((d) => [d.id, d])),
    }
    const delinquent = customer.invoices.some((i) => i.status === 'open' && i.chargeIds.length > 0)
    this.w.customers(customerJson(customer, delinquent))
    const subs = new Map(customer.subscriptions.map((s) => [s.id, s]))
    for (const sub of customer.subscriptions) {
      this.w.subscriptions(subscriptionJson(ctx, sub, sub.state, E))
      for (const item of subscriptionItemsJson(ctx, sub)) this.w.items(item)
      for (const e of sub.events) if (e.created < E) this.w.events(eventJson(ctx, sub, e, this.upgradeAt))
    }
    for (const inv of customer.invoices) {
      this.w.invoices(
        invoiceJson(ctx, customer, inv, inv.subscriptionId ? subs.get(inv.subscriptionId) : undefined),
      )
      for (const l of inv.lines) this.w.lines(lineJson(ctx, l, customer.legacy, customer.currency))
    }
    for (const c of customer.charges) this.w.charges(chargeJson(c, customer))
    for (const r of customer.refunds) this.w.refunds(refundJson(r))
    for (const cn of customer.creditNotes) this.w.creditNotes(creditNoteJson(cn, customer.legacy))

    const series = customerSeries(customer, this.fx, this.lastMonth)
    const native = new Map<string, number>()
    for (const { month, mrr } of series) {
      const rate = this.fx.rate(customer.currency, monthStart(month))
      native.set(month, rate > 0 ? mrr / rate : 0)
    }
    for (const { month, mrr } of series) {
      this.w.truthMrr({
        customer_id: customer.id,
        month,
        mrr: mrr.toFixed(6),
        currency: customer.currency,
        mrr_native: '',
      })
    }
    addMovements(series, this.mrrTotals)
    const tags = [...new Set(customer.subscriptions.flatMap((s) => s.tags))].sort().join(';')
    this.w.truthCustomer({
      customer_id: customer.id,
      currency: customer.currency,
      created: dateKey(customer.created),
      api_shape: customer.legacy ? 'legacy-2024-06-20' : 'current-2025-03-31',
      crm_account_id: accountId ?? '',
      account_map: mapping,
      motion,
      tags,
    })
  }

  // ---------------------------------------------------------------- catalog, finance, truth

  private async writeCatalog(): Promise<void> {
    const products = await this.out.jsonl('stripe', FILES.stripe.products)
    for (const p of PRODUCTS) products(productJson(this.catalog, p.key))
    const prices = await this.out.jsonl('stripe', FILES.stripe.prices)
    for (const p of PRICES) prices(priceJson(this.catalog, p))
    const coupons = await this.out.jsonl('stripe', FILES.stripe.coupons)
    for (const c of COUPONS) coupons(couponJson(c, this.catalog.created, this.couponUse.get(c.key) ?? 0))
  }

  private async writeFinance(adSpend: Map<string, number>): Promise<void> {
    const rng = Rng.derive(this.seed, 'finance')
    const sm = await this.out.csv('finance', FILES.finance.sm_expense, ['month', 'amount', 'currency'])
    const gm = await this.out.csv('finance', FILES.finance.gross_margin, ['month', 'gross_margin'])
    for (let m = monthKey(this.historyStart); m <= this.lastMonth; m = addMonthKey(m, 1)) {
      const reps = this.reps.filter(
        (r) => r.hiredAt < monthStart(addMonthKey(m, 1)) && (r.leftAt === null || r.leftAt > monthStart(m)),
      ).length
      const people = reps * 11_500 + 42_000 * Math.sqrt(this.scale)
      const amount = (adSpend.get(m) ?? 0) + people + 6_000 * this.scale * (0.9 + rng.next() * 0.2)
      sm.row({ month: m, amount: amount.toFixed(2), currency: 'USD' })
      gm.row({ month: m, gross_margin: (0.76 + rng.next() * 0.05).toFixed(4) })
    }
    const quotas = await this.out.csv('finance', FILES.finance.quotas, [
      'owner_id',
      'period_start',
      'period_end',
      'amount',
      'currency',
    ])
    for (let q = this.windowStart; q < this.exportAt; q = addMonthsAnchored(q, 3)) {
      const qEnd = addMonthsAnchored(q, 3)
      for (const r of this.reps) {
        if (r.hiredAt >= qEnd || (r.leftAt !== null && r.leftAt <= q)) continue
        quotas.row({
          owner_id: r.id,
          period_start: dateKey(q),
          period_end: dateKey(qEnd - DAY),
          amount: String(Math.round((40_000 + rng.next() * 30_000) / 1000) * 1000),
          currency: 'USD',
        })
      }
    }
    const fx = await this.out.csv('finance', FILES.finance.fx_rates, [
      'date',
      'currency',
      'rate_to_reporting',
    ])
    for (const day of this.fx.days) {
      fx.row({ date: day, currency: 'EUR', rate_to_reporting: String(this.fx.rateOnDay('eur', day)) })
      fx.row({ date: day, currency: 'JPY', rate_to_reporting: String(this.fx.rateOnDay('jpy', day)) })
      fx.row({ date: day, currency: 'USD', rate_to_reporting: '1' })
    }
  }

  private async writeTruth(): Promise<void> {
    const mrr = await this.out.csv('truth', FILES.truth.mrr_by_month, [
      'month',
      'mrr',
      'active_customers',
      'new_mrr',
      'expansion_mrr',
      'contraction_mrr',
      'churned_mrr',
      'reactivation_mrr',
    ])
    for (const m of [...this.mrrTotals.keys()].sort()) {
      const t = this.mrrTotals.get(m) ?? emptyTotals()
      mrr.row({
        month: m,
        mrr: t.mrr.toFixed(2),
        active_customers: t.active,
        new_mrr: t.new.toFixed(2),
        expansion_mrr: t.expansion.toFixed(2),
        contraction_mrr: t.contraction.toFixed(2),
        churned_mrr: t.churned.toFixed(2),
        reactivation_mrr: t.reactivation.toFixed(2),
      })
    }
    const opps = await this.out.csv('truth', FILES.truth.opportunities_by_month, [
      'month',
      'won_count',
      'lost_count',
      'won_amount',
      'lost_amount',
    ])
    for (const m of [...this.oppTotals.keys()].sort()) {
      const t = this.oppTotals.get(m)
      if (t)
        opps.row({
          month: m,
          won_count: t.won,
          lost_count: t.lost,
          won_amount: t.wonAmount,
          lost_amount: t.lostAmount,
        })
    }
    const funnel = await this.out.csv('truth', FILES.truth.funnel_by_month, [
      'month',
      'leads',
      'mqls',
      'sqls',
      'opportunities',
      'customers',
    ])
    for (const m of [...this.funnel.keys()].sort()) {
      const f = this.funnel.get(m)
      if (f)
        funnel.row({
          month: m,
          leads: f.lead,
          mqls: f.marketingqualifiedlead,
          sqls: f.salesqualifiedlead,
          opportunities: f.opportunity,
          customers: f.customer,
        })
    }
  }
}

function monthlyUsd(priceKey: string, qty: number, currency: Currency, rate: number): number {
  const p = price(priceKey)
  return ((p.unitAmount * qty) / intervalMonths(p) / minorPerMajor(currency)) * rate
}

const TRUTH_README = `# Ground truth of the demo company

Computed by the generator from its own billing model with mrr-policy v1 (METRICS.md):

- mrr_by_customer_month.csv: each Stripe customer's MRR in USD at the last instant of each month
  (from its first month with MRR to the last month of the export). A recurring licensed invoice line
  on a paid or open invoice (not draft, void or uncollectible) with a non-zero amount contributes,
  over [period.start, period.end), unit_amount x quantity / months in its interval, times
  (amount - discount_amounts - inclusive tax) / amount, with the line's sign; converted with
  fx_rates.csv on the day of period.start. Trials (zero-amount lines) and paused periods (void
  invoices) are zero; metered and one-time lines are not MRR. A subscription written off after
  failed payments has its unpaid period's invoice uncollectible, so its MRR ends when the unpaid
  period starts. Mid-period prorations and immediate cancellations happen only in USD, so FX
  never leaves a proration residue; FX does move EUR/JPY customers' MRR month to month.
- mrr_by_month.csv: totals, active customers (MRR > 0) and movements per customer with the
  precedence new, churn, reactivation, expansion, contraction (FX changes are not separated).
- opportunities_by_month.csv: Salesforce opportunities closed won / lost by CloseDate month.
- funnel_by_month.csv: HubSpot contacts first entering lead / MQL / SQL / opportunity / customer.
- customers.csv: each customer's API shape cohort, CRM account, how account_map.csv covers it
  (listed / domain / unmatched / none) and the scenarios its subscriptions went through.
`
