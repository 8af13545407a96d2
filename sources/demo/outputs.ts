import { join } from 'node:path'
import { AD_COLUMNS } from './ads.js'
import { SF_COLUMNS, type SfObject, type SfRow } from './salesforce.js'
import { CsvSink, FileSink } from './sink.js'

/** Every file the generator writes, named as CONTRACT.md lists them, plus the ground truth. */
export const FILES = {
  stripe: {
    customers: 'stripe/customers.jsonl',
    products: 'stripe/products.jsonl',
    prices: 'stripe/prices.jsonl',
    coupons: 'stripe/coupons.jsonl',
    subscriptions: 'stripe/subscriptions.jsonl.gz',
    subscription_items: 'stripe/subscription_items.jsonl.gz',
    invoices: 'stripe/invoices.jsonl.gz',
    invoice_line_items: 'stripe/invoice_line_items.jsonl.gz',
    charges: 'stripe/charges.jsonl.gz',
    refunds: 'stripe/refunds.jsonl',
    credit_notes: 'stripe/credit_notes.jsonl',
    events: 'stripe/events.jsonl.gz',
  },
  salesforce: Object.fromEntries(Object.keys(SF_COLUMNS).map((o) => [o, `salesforce/${o}.csv`])) as Record<
    SfObject,
    string
  >,
  hubspot: {
    companies: 'hubspot/companies.jsonl',
    contacts: 'hubspot/contacts.jsonl.gz',
    deals: 'hubspot/deals.jsonl',
    deal_pipelines: 'hubspot/deal_pipelines.jsonl',
  },
  ads: {
    google: 'ads/google_ads.csv',
    meta: 'ads/meta_ads.csv',
    linkedin: 'ads/linkedin_ads.csv',
    plain: 'ads/ad_spend.csv',
  },
  finance: {
    sm_expense: 'finance/sm_expense.csv',
    gross_margin: 'finance/gross_margin.csv',
    quotas: 'finance/quotas.csv',
    fx_rates: 'finance/fx_rates.csv',
    account_map: 'finance/account_map.csv',
  },
  truth: {
    mrr_by_customer_month: '_truth/mrr_by_customer_month.csv',
    mrr_by_month: '_truth/mrr_by_month.csv',
    opportunities_by_month: '_truth/opportunities_by_month.csv',
    funnel_by_month: '_truth/funnel_by_month.csv',
    customers: '_truth/customers.csv',
  },
} as const

type Json = Record<string, unknown>

export class Outputs {
  private readonly sinks: FileSink[] = []

  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<Outputs> {
    return new Outputs(dir)
  }

  async file(source: string, rel: string): Promise<FileSink> {
    const sink = await FileSink.open(join(this.dir, rel), source)
    this.sinks.push(sink)
    return sink
  }

  async jsonl(source: string, rel: string): Promise<(obj: Json) => void> {
    const sink = await this.file(source, rel)
    return (obj) => sink.line(JSON.stringify(obj))
  }

  async csv<C extends string>(
    source: string,
    rel: string,
    columns: readonly C[],
    alwaysQuote = false,
  ): Promise<CsvSink<C>> {
    return new CsvSink(await this.file(source, rel), columns, alwaysQuote)
  }

  /** Salesforce objects: every cell quoted, as Data Loader writes them. */
  async salesforce<O extends SfObject>(object: O): Promise<(row: SfRow<O>) => void> {
    const sink = await this.csv(
      'salesforce',
      FILES.salesforce[object],
      SF_COLUMNS[object] as readonly string[],
      true,
    )
    return (row) => sink.row(row as Record<string, string | number | boolean | null>)
  }

  async ads(): Promise<{
    google: CsvSink<string>
    meta: CsvSink<string>
    linkedin: CsvSink<string>
    plain: CsvSink<string>
  }> {
    return {
      google: await this.csv('ads', FILES.ads.google, AD_COLUMNS.google),
      meta: await this.csv('ads', FILES.ads.meta, AD_COLUMNS.meta),
      linkedin: await this.csv('ads', FILES.ads.linkedin, AD_COLUMNS.linkedin),
      plain: await this.csv('ads', FILES.ads.plain, AD_COLUMNS.plain),
    }
  }

  async drain(): Promise<void> {
    for (const s of this.sinks) await s.drain()
  }

  async close(): Promise<{ source: string; path: string; rows: number }[]> {
    for (const s of this.sinks) await s.close()
    return this.sinks.map((s) => ({ source: s.source, path: s.path, rows: s.rows }))
  }
}
