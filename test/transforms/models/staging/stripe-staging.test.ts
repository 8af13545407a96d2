import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckDbEngine } from '../../../../core/engines/duckdb-engine.js'
import { LocalLakeStore } from '../../../../core/lake/local-lake-store.js'
import { landFiles } from '../../../../sources/landing/land-files.js'
import { build, createGraph, localLakeSources, Target } from '../../../../transforms/framework/index.js'
import { stgStripeCustomers } from '../../../../transforms/models/staging/stripe/stg-stripe-customers.js'
import { stgStripeInvoiceLineItems } from '../../../../transforms/models/staging/stripe/stg-stripe-invoice-line-items.js'
import { stgStripeInvoices } from '../../../../transforms/models/staging/stripe/stg-stripe-invoices.js'
import { stgStripeSubscriptionItems } from '../../../../transforms/models/staging/stripe/stg-stripe-subscription-items.js'
import { stgStripeSubscriptions } from '../../../../transforms/models/staging/stripe/stg-stripe-subscriptions.js'

/** Stripe staging over exports landed on two days, in both API shapes. */
const jan = (day: number) => Date.UTC(2024, 0, day) / 1000
const legacyPrice = {
  id: 'price_m',
  object: 'price',
  type: 'recurring',
  unit_amount: 1999,
  recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' },
}

const DAY_ONE = {
  'customers.jsonl': [
    {
      id: 'cus_a',
      object: 'customer',
      created: jan(1),
      email: 'Billing@Acme.EXAMPLE',
      name: 'Acme',
      currency: 'usd',
    },
    {
      id: 'cus_b',
      object: 'customer',
      created: jan(1),
      email: 'ops@globex.example',
      name: 'Globex',
      currency: 'jpy',
    },
  ],
  'invoices.jsonl': [
    {
      id: 'in_legacy',
      object: 'invoice',
      customer: 'cus_a',
      subscription: 'sub_legacy',
      status: 'open',
      currency: 'usd',
      created: jan(1),
      total: 1999,
      subtotal: 1999,
      total_excluding_tax: 1999,
      amount_due: 1999,
      amount_paid: 0,
      lines: {
        data: [
          {
            id: 'sli_1',
            object: 'line_item',
            amount: 1000,
            currency: 'usd',
            period: { start: jan(1), end: jan(31) },
            price: legacyPrice,
            subscription: 'sub_legacy',
            subscription_item: 'si_legacy',
            proration: false,
            type: 'subscription',
          },
        ],
      },
    },
    {
      id: 'in_yen',
      object: 'invoice',
      customer: { id: 'cus_b', object: 'customer' },
      status: 'paid',
      currency: 'jpy',
      created: jan(2),
      effective_at: jan(3),
      total: 8800,
      subtotal: 8000,
      total_excluding_tax: 8000,
      amount_due: 8800,
      amount_paid: 8800,
      total_discount_amounts: [],
      parent: { type: 'subscription_details', subscription_details: { subscription: 'sub_basil' } },
    },
  ],
  'subscriptions.jsonl': [
    {
      id: 'sub_basil',
      object: 'subscription',
      customer: 'cus_b',
      status: 'active',
      created: jan(2),
      items: {
        data: [
          {
            id: 'si_basil',
            object: 'subscription_item',
            created: jan(2),
            subscription: 'sub_basil',
            price: { id: 'price_y' },
            quantity: 3,
            current_period_start: jan(2),
            current_period_end: Date.UTC(2024, 1, 2) / 1000,
          },
        ],
      },
    },
  ],
}
const DAY_TWO = {
  // cus_a renamed (same `created`, so the later landing wins); cus_b deleted.
  'customers.jsonl': [
    {
      id: 'cus_a',
      object: 'customer',
      created: jan(1),
      email: 'billing@acme.example',
      name: 'Acme Inc',
      currency: 'usd',
    },
    { id: 'cus_b', object: 'customer', deleted: true },
  ],
  'invoice_line_items.jsonl': [
    // The embedded line again (now with its amount corrected), a second legacy line, and a line
    // whose old-style id repeats on another invoice.
    {
      id: 'sli_1',
      object: 'line_item',
      invoice: 'in_legacy',
      amount: 1999,
      currency: 'usd',
      period: { start: jan(1), end: jan(31) },
      price: legacyPrice,
      subscription: 'sub_legacy',
      subscription_item: 'si_legacy',
      proration: false,
      type: 'subscription',
      discount_amounts: [{ amount: 200, discount: 'di_1' }],
      tax_amounts: [{ amount: 150, inclusive: true }],
    },
    {
      id: 'sli_2',
      object: 'line_item',
      invoice: 'in_legacy',
      amount: -500,
      currency: 'usd',
      period: { start: jan(15), end: jan(31) },
      price: legacyPrice,
      subscription: 'sub_legacy',
      subscription_item: 'si_legacy',
      proration: true,
      type: 'invoiceitem',
    },
    {
      id: 'sli_2',
      object: 'line_item',
      invoice: 'in_yen',
      amount: 8000,
      currency: 'jpy',
      period: { start: jan(2), end: Date.UTC(2024, 1, 2) / 1000 },
      quantity: 3,
      pricing: {
        type: 'price_details',
        price_details: { price: 'price_y', product: 'prod_y' },
        unit_amount_decimal: '2666.67',
      },
      parent: {
        type: 'subscription_item_details',
        subscription_item_details: {
          subscription: 'sub_basil',
          subscription_item: 'si_basil',
          proration: false,
        },
      },
      taxes: [{ amount: 800, tax_behavior: 'exclusive', taxable_amount: 8000 }],
    },
  ],
}

describe('Stripe staging', () => {
  let root: string
  let engine: DuckDbEngine
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'revops-stg-stripe-'))
    const lake = new LocalLakeStore(join(root, 'lake'))
    for (const [day, files] of [
      ['2024-02-01', DAY_ONE],
      ['2024-02-02', DAY_TWO],
    ] as const) {
      const from = join(root, 'exports', day)
      mkdirSync(from, { recursive: true })
      for (const [name, records] of Object.entries(files)) {
        writeFileSync(
          join(from, name),
          `${(records as readonly unknown[]).map((r) => JSON.stringify(r)).join('\n')}\n`,
        )
      }
      const landed = await landFiles(lake, { source: 'stripe', from, now: new Date(`${day}T06:00:00Z`) })
      expect(landed.totals.quarantined).toBe(0)
    }
    engine = await DuckDbEngine.open({ path: ':memory:' })
    const run = await build({
      target: new Target(engine),
      graph: createGraph([
        stgStripeCustomers,
        stgStripeInvoices,
        stgStripeInvoiceLineItems,
        stgStripeSubscriptions,
        stgStripeSubscriptionItems,
      ]),
      sources: localLakeSources(join(root, 'lake')),
    })
    expect(run.models.map((m) => [m.model, m.status])).toEqual(run.models.map((m) => [m.model, 'success']))
  })
  afterAll(async () => {
    await engine?.close()
    rmSync(root, { recursive: true, force: true })
  })
  const rows = async (sql: string) => (await engine.run(sql)).rows

  it('keeps the latest version of each customer, and flags a deleted one with its last known fields', async () => {
    expect(
      await rows(
        'SELECT customer_id, name, email_domain, currency, is_deleted FROM staging.stg_stripe__customers ORDER BY 1',
      ),
    ).toEqual([
      {
        customer_id: 'cus_a',
        name: 'Acme Inc',
        email_domain: 'acme.example',
        currency: 'USD',
        is_deleted: false,
      },
      {
        customer_id: 'cus_b',
        name: 'Globex',
        email_domain: 'globex.example',
        currency: 'JPY',
        is_deleted: true,
      },
    ])
  })

  it('reads both invoice shapes: the subscription link, expanded customers, minor units of zero-decimal currencies', async () => {
    expect(
      await rows(
        'SELECT invoice_id, customer_id, subscription_id, currency, total, tax, invoice_at FROM staging.stg_stripe__invoices ORDER BY 1',
      ),
    ).toEqual([
      {
        invoice_id: 'in_legacy',
        customer_id: 'cus_a',
        subscription_id: 'sub_legacy',
        currency: 'USD',
        total: 19.99,
        tax: 0,
        invoice_at: '2024-01-01T00:00:00.000Z',
      },
      {
        invoice_id: 'in_yen',
        customer_id: 'cus_b',
        subscription_id: 'sub_basil',
        currency: 'JPY',
        total: 8800,
        tax: 800,
        invoice_at: '2024-01-03T00:00:00.000Z',
      },
    ])
  })

  it('merges embedded and exported lines (latest landing wins), keys them by invoice, and coalesces both shapes', async () => {
    expect(
      await rows(
        `SELECT line_key, subscription_id, subscription_item_id, price_id, is_proration, line_type, amount, discount_amount,
           inclusive_tax_amount, tax_amount, unit_amount, billing_interval FROM staging.stg_stripe__invoice_line_items ORDER BY 1`,
      ),
    ).toEqual([
      {
        line_key: 'in_legacy|sli_1',
        subscription_id: 'sub_legacy',
        subscription_item_id: 'si_legacy',
        price_id: 'price_m',
        is_proration: false,
        line_type: 'subscription',
        amount: 19.99,
        discount_amount: 2,
        inclusive_tax_amount: 1.5,
        tax_amount: 1.5,
        unit_amount: 19.99,
        billing_interval: 'month',
      },
      {
        line_key: 'in_legacy|sli_2',
        subscription_id: 'sub_legacy',
        subscription_item_id: 'si_legacy',
        price_id: 'price_m',
        is_proration: true,
        line_type: 'invoiceitem',
        amount: -5,
        discount_amount: 0,
        inclusive_tax_amount: 0,
        tax_amount: 0,
        unit_amount: 19.99,
        billing_interval: 'month',
      },
      {
        line_key: 'in_yen|sli_2',
        subscription_id: 'sub_basil',
        subscription_item_id: 'si_basil',
        price_id: 'price_y',
        is_proration: false,
        line_type: 'subscription',
        amount: 8000,
        discount_amount: 0,
        inclusive_tax_amount: 0,
        tax_amount: 800,
        unit_amount: 2666.67,
        billing_interval: null,
      },
    ])
  })

  it('takes the current period from the items after 2025-03-31, and stages embedded items', async () => {
    expect(
      await rows(
        'SELECT subscription_id, current_period_start, current_period_end FROM staging.stg_stripe__subscriptions',
      ),
    ).toEqual([
      {
        subscription_id: 'sub_basil',
        current_period_start: '2024-01-02T00:00:00.000Z',
        current_period_end: '2024-02-02T00:00:00.000Z',
      },
    ])
    expect(
      await rows(
        'SELECT subscription_item_id, subscription_id, price_id, quantity FROM staging.stg_stripe__subscription_items',
      ),
    ).toEqual([
      { subscription_item_id: 'si_basil', subscription_id: 'sub_basil', price_id: 'price_y', quantity: 3 },
    ])
  })
})
