import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { LakeStore } from '../../../core/lake/lake-store.js'
import { readWatermark } from '../../../core/lake/watermark.js'
import { PullRun } from '../../../sources/landing/pull-run.js'
import { DEFAULT_PULL_SETTINGS, type PullSettings } from '../../../sources/landing/pull-settings.js'
import { readPullState } from '../../../sources/landing/pull-state.js'
import { pullStripe, stripeClient } from '../../../sources/stripe/pull-stripe.js'
import { tempLake } from '../../core/lake/lake-fixture.js'
import { FakeStripe, type StripeObject, stripeError } from '../../support/fake-stripe-server.js'
import { FailingStore } from '../landing/failing-store.js'
import { envelopes, landedTwice, stagingDedup } from '../landing/pull-lake.js'

const NOW = Date.parse('2025-06-02T12:00:00Z')
const sec = (ms: number) => Math.floor(ms / 1000)
const LAG = 2 * 60_000
const SETTINGS: PullSettings = {
  ...DEFAULT_PULL_SETTINGS,
  overlapMs: 10 * 60_000,
  lagMs: LAG,
  batchRecords: 100,
}

/** A small Stripe account: 250 customers (the last few inside the overlap), catalog, subscriptions, invoices, payments. */
function seed(fake: FakeStripe): void {
  const start = sec(NOW) - 30 * 86_400
  for (let i = 1; i <= 250; i += 1) {
    // The last five are created minutes before the window ends, inside the next window's overlap.
    const created = i > 245 ? sec(NOW - LAG) - (251 - i) * 60 : start + i * 600
    fake.add('customers', {
      id: `cus_${String(i).padStart(4, '0')}`,
      object: 'customer',
      created,
      email: `c${i}@example.com`,
      name: `Customer ${i}`,
      currency: 'usd',
    })
  }
  fake.add('products', { id: 'prod_1', object: 'product', created: start, name: 'Pro', active: true })
  fake.add('prices', {
    id: 'price_1',
    object: 'price',
    created: start,
    currency: 'usd',
    product: 'prod_1',
    type: 'recurring',
    unit_amount: 5000,
    recurring: { interval: 'month', interval_count: 1 },
  })
  fake.add('coupons', { id: 'co_1', object: 'coupon', created: start, duration: 'once', percent_off: 10 })
  for (let i = 1; i <= 12; i += 1) {
    const id = `sub_${String(i).padStart(3, '0')}`
    const count = i === 1 ? 12 : 1
    const items = Array.from({ length: count }, (_, k) => ({
      id: `si_${i}_${k}`,
      object: 'subscription_item',
      created: start + i * 700,
      subscription: id,
      price: { id: 'price_1' },
      quantity: 1,
    }))
    fake.add('subscriptions', {
      id,
      object: 'subscription',
      created: start + i * 700,
      customer: `cus_${String(i).padStart(4, '0')}`,
      status: i === 12 ? 'canceled' : 'active',
      // Stripe embeds ten items; the rest are behind has_more.
      items: { object: 'list', data: items.slice(0, 10), has_more: count > 10 },
    })
    if (count > 10) fake.items.set(id, items)
  }
  for (let i = 1; i <= 30; i += 1) {
    const id = `in_${String(i).padStart(3, '0')}`
    const line = (k: number) => ({
      id: `il_${i}_${k}`,
      object: 'line_item',
      amount: 5000,
      currency: 'usd',
      period: { start: start + i * 800, end: start + i * 800 + 2_592_000 },
      invoice: id,
    })
    const lines = i === 1 ? Array.from({ length: 15 }, (_, k) => line(k)) : [line(0)]
    fake.add('invoices', {
      id,
      object: 'invoice',
      created: start + i * 800,
      customer: `cus_${String(i).padStart(4, '0')}`,
      status: 'paid',
      currency: 'usd',
      total: 5000 * lines.length,
      amount_due: 5000 * lines.length,
      amount_paid: 5000 * lines.length,
      lines: { object: 'list', data: lines.slice(0, 10), has_more: lines.length > 10 },
    })
    if (lines.length > 10) fake.lines.set(id, lines)
  }
  for (let i = 1; i <= 20; i += 1) {
    fake.add('charges', {
      id: `ch_${String(i).padStart(3, '0')}`,
      object: 'charge',
      created: start + i * 900,
      amount: 5000,
      currency: 'usd',
      status: 'succeeded',
    })
  }
  fake.add('refunds', { id: 're_1', object: 'refund', created: start + 9000, amount: 100, currency: 'usd' })
  fake.add('credit_notes', {
    id: 'cn_1',
    object: 'credit_note',
    created: start + 9100,
    invoice: 'in_001',
    amount: 100,
    currency: 'usd',
  })
}

describe('pullStripe against a loopback Stripe, driven by the stripe SDK', () => {
  let fake: FakeStripe
  let lake: ReturnType<typeof tempLake>
  let sleeps: number[]

  beforeAll(async () => {
    fake = await new FakeStripe().start()
  })
  afterAll(async () => {
    await fake.stop()
  })
  beforeEach(() => {
    lake = tempLake()
    sleeps = []
    fake.objects.clear()
    fake.events.length = 0
    fake.deleted.clear()
    fake.lines.clear()
    fake.http.requests.length = 0
    fake.http.recover()
    fake.http.onRequest = undefined
    seed(fake)
  })
  afterEach(() => lake.remove())

  async function pull(
    options: {
      now?: number
      store?: LakeStore
      remainingMs?: () => number
      fullRefresh?: boolean
      apiKey?: string
    } = {},
  ) {
    const run = new PullRun({
      source: 'stripe',
      store: options.store ?? lake.store,
      settings: SETTINGS,
      clock: () => new Date(options.now ?? NOW),
      retry: {
        sleep: async (ms) => {
          sleeps.push(ms)
        },
        random: () => 0.5,
      },
      ...(options.remainingMs ? { remainingMs: options.remainingMs } : {}),
    })
    const client = stripeClient({
      STRIPE_API_KEY: options.apiKey ?? 'sk_test_fake',
      STRIPE_API_BASE_URL: fake.url,
    })
    await pullStripe(run, client, { fullRefresh: options.fullRefresh ?? false })
    return run.finish()
  }

  const landed = (summary: Awaited<ReturnType<typeof pull>>, entity: string) =>
    summary.entities.find((e) => e.entity === entity)

  it('lists every entity page by page on the first run, and moves every watermark to the window end', async () => {
    const summary = await pull()
    expect(summary.error).toBeNull()
    expect(summary.status).toBe('complete')
    // The change feed then reads the window's overlap: the five newest customers are found again.
    expect(landed(summary, 'customers')).toMatchObject({ landed: 250, duplicate: 5, quarantined: 0 })
    expect(landed(summary, 'subscriptions')?.landed).toBe(12)
    expect(landed(summary, 'subscription_items')?.landed).toBe(12)
    expect(landed(summary, 'invoice_line_items')?.landed).toBe(15)
    expect(landed(summary, 'events')?.landed).toBe(fake.events.length)
    const pages = fake.http.seen('/v1/customers')
    expect(pages.map((r) => [r.query.get('limit'), r.query.get('starting_after')])).toEqual([
      ['100', null],
      ['100', 'cus_0151'],
      ['100', 'cus_0051'],
    ])
    expect(pages[0]?.query.get('created[lte]')).toBe(String(sec(NOW - LAG)))
    // Canceled subscriptions are listed too (status=all).
    expect(fake.http.seen('/v1/subscriptions')[0]?.query.get('status')).toBe('all')
    const end = new Date(NOW - LAG).toISOString()
    for (const e of summary.entities) expect([e.entity, e.watermark_after]).toEqual([e.entity, end])
    expect((await readWatermark(lake.store, 'stripe', 'customers'))?.cursor).toBe(end)
  })

  it('then reads events since the watermark, re-fetches changed objects, lands deletions, and lands each version once', async () => {
    await pull()
    const later = NOW + 3600_000
    fake.update('customers', 'cus_0001', { email: 'new@example.com' }, sec(NOW + 600_000))
    fake.update('customers', 'cus_0001', { name: 'Renamed' }, sec(NOW + 700_000))
    fake.remove('customers', 'cus_0002', sec(NOW + 1200_000))
    fake.add('customers', {
      id: 'cus_new',
      object: 'customer',
      created: sec(NOW + 1800_000),
      email: 'n@example.com',
      currency: 'usd',
    })
    // An event of an object type no entity takes only lands as an event.
    fake.event('created', { id: 'pi_1', object: 'payment_intent', created: sec(NOW) }, sec(NOW + 1900_000))
    fake.http.requests.length = 0
    const summary = await pull({ now: later })
    expect(summary.status).toBe('complete')
    expect(summary.feeds.map((f) => [f.feed, f.status])).toEqual([['changes', 'complete']])
    expect(summary.feeds[0]?.window).toEqual({
      from: new Date(NOW - LAG - SETTINGS.overlapMs).toISOString(),
      to: new Date(later - LAG).toISOString(),
    })
    const events = fake.http.seen('/v1/events')
    expect(events[0]?.query.get('created[gte]')).toBe(String(sec(NOW - LAG - SETTINGS.overlapMs)))
    // Two events of cus_0001, one re-fetch; no re-fetch for the deleted one.
    expect(fake.http.seen('/v1/customers/cus_0001')).toHaveLength(1)
    expect(fake.http.seen('/v1/customers/cus_0002')).toHaveLength(0)
    // Re-reading the overlap lands nothing twice: the five late customers and their events were landed by the backfill.
    expect(landed(summary, 'customers')).toMatchObject({ landed: 3, duplicate: 5 })
    expect(landedTwice(await envelopes(lake.store, 'stripe'))).toEqual([])

    const staged = await stagingDedup(lake.root, lake.store, 'stripe', 'customers')
    expect(staged).toMatchObject({ rows: 251, ids: 251, duplicates: 0 })
    const first = staged.latest.get('cus_0001')
    expect(JSON.parse(first?.payload ?? '{}')).toMatchObject({ email: 'new@example.com', name: 'Renamed' })
    // The newest event's time is the version's cursor.
    expect(first?.updatedAt).toBe(new Date(sec(NOW + 700_000) * 1000).toISOString())
    expect(staged.latest.get('cus_0002')).toMatchObject({ deleted: true })
    expect(staged.latest.has('cus_new')).toBe(true)
  })

  it('waits as long as Retry-After says on 429, then goes on', async () => {
    fake.http.fail({
      match: (r) => r.path === '/v1/customers',
      ...stripeError(429, 'invalid_request_error', 'Too many requests', 'rate_limit'),
      status: 429,
      headers: { 'retry-after': '7' },
      times: 2,
    })
    const summary = await pull()
    expect(summary.status).toBe('complete')
    expect(sleeps).toEqual([7000, 7000])
    expect(summary.requests.rate_limited).toBe(2)
    expect(landed(summary, 'customers')?.landed).toBe(250)
  })

  it('retries 5xx and dropped connections with backoff', async () => {
    fake.http.fail({
      match: (r) => r.path === '/v1/invoices',
      ...stripeError(500, 'api_error', 'An unknown error occurred'),
      status: 500,
      times: 1,
    })
    // The SDK itself reconnects once after a dropped connection; the second drop is the pull's to retry.
    fake.http.fail({ match: (r) => r.path === '/v1/charges', status: 'reset', times: 2 })
    const summary = await pull()
    expect(summary.status).toBe('complete')
    // Backoff 1 s for the first retry, jittered to 0.75–1 of it (random 0.5 here).
    expect(sleeps).toEqual([750, 750])
    expect(summary.requests.retries).toBe(2)
  })

  it('fails without retrying on a bad key, and says what to check', async () => {
    const summary = await pull({ apiKey: 'sk_test_wrong' })
    expect(summary.status).toBe('failed')
    expect(summary.error).toMatch(/backfill_customers: GET \/v1\/customers failed: HTTP 401/)
    expect(sleeps).toEqual([])
    expect(summary.entities.every((e) => e.watermark_after === null)).toBe(true)
  })

  it('resumes after the vendor goes away mid-run: the watermark stays, the re-run lands every record exactly once', async () => {
    fake.http.outage(2)
    const broken = await pull()
    expect(broken.status).toBe('failed')
    expect(broken.error).toMatch(/still failing after 6 attempts: HTTP 503/)
    expect(landed(broken, 'customers')).toMatchObject({ landed: 200, watermark_after: null })
    const open = await readPullState(lake.store, 'stripe', 'backfill_customers')
    expect(open.state.resume).toEqual({ starting_after: 'cus_0051' })
    expect(open.state.pages).toBe(2)

    fake.http.recover()
    fake.http.requests.length = 0
    const again = await pull({ now: NOW + 60_000 })
    expect(again.status).toBe('complete')
    expect(again.feeds[0]).toMatchObject({ feed: 'backfill_customers', resumed: true, pages: 1 })
    // The resumed window keeps its end: the same created[lte], starting after the last landed page.
    const first = fake.http.seen('/v1/customers')[0]
    expect(first?.query.get('starting_after')).toBe('cus_0051')
    expect(first?.query.get('created[lte]')).toBe(String(sec(NOW - LAG)))
    expect(landed(again, 'customers')?.landed).toBe(50)
    expect(landedTwice(await envelopes(lake.store, 'stripe'))).toEqual([])
    expect(await stagingDedup(lake.root, lake.store, 'stripe', 'customers')).toMatchObject({
      rows: 250,
      ids: 250,
      duplicates: 0,
    })
  })

  it('survives a crash between writing chunks and saving the cursor: the re-run finds those chunks', async () => {
    // Each checkpoint writes a marker and a chunk; the third page's chunk is written, its cursor is not.
    const crashing = new FailingStore(lake.store, 6)
    const crashed = await pull({ store: crashing })
    expect(crashed.status).toBe('failed')
    expect(crashed.error).toMatch(/ENOSPC/)
    const again = await pull()
    expect(again.status).toBe('complete')
    expect(landedTwice(await envelopes(lake.store, 'stripe'))).toEqual([])
    expect(await stagingDedup(lake.root, lake.store, 'stripe', 'customers')).toMatchObject({
      rows: 250,
      duplicates: 0,
    })
  })

  it('lands a record delivered twice once', async () => {
    const list = fake.objects.get('customers') as StripeObject[]
    list.splice(100, 0, structuredClone(list[100] as StripeObject))
    const summary = await pull()
    expect(landed(summary, 'customers')).toMatchObject({ landed: 250, duplicate: 1 + 5 })
    expect(landedTwice(await envelopes(lake.store, 'stripe', 'customers'))).toEqual([])
  })

  it('a record changed while the pull runs lands in this run or the next, never lost', async () => {
    await pull()
    let changed = false
    fake.http.onRequest = (request) => {
      if (!changed && request.path === '/v1/events') {
        changed = true
        // The change happens now, after this run's window end: the next run's window holds it.
        fake.update('customers', 'cus_0003', { email: 'during@example.com' }, sec(NOW + 3600_000))
      }
    }
    const during = await pull({ now: NOW + 3600_000 })
    expect(during.status).toBe('complete')
    fake.http.onRequest = undefined
    const next = await pull({ now: NOW + 7200_000 })
    expect(next.status).toBe('complete')
    const staged = await stagingDedup(lake.root, lake.store, 'stripe', 'customers')
    expect(JSON.parse(staged.latest.get('cus_0003')?.payload ?? '{}').email).toBe('during@example.com')
    expect(landedTwice(await envelopes(lake.store, 'stripe'))).toEqual([])
  })

  it('stops starting pages near the deadline, keeps the watermark, and the next run continues', async () => {
    const stopAfter = 2
    const first = await pull({
      remainingMs: () => (fake.http.requests.length >= stopAfter ? 60_000 : 600_000),
    })
    expect(first.status).toBe('continued')
    expect(first.error).toMatch(/continued next run/)
    // The run ends with the feed it stopped in; later feeds wait for the next run.
    expect(first.feeds.map((f) => [f.feed, f.status])).toEqual([['backfill_customers', 'continued']])
    expect(landed(first, 'customers')).toMatchObject({ landed: 200, watermark_after: null })
    const second = await pull()
    expect(second.status).toBe('complete')
    expect(second.feeds[0]).toMatchObject({ feed: 'backfill_customers', resumed: true, pages: 1 })
    expect(landed(second, 'customers')?.landed).toBe(50)
    expect(landedTwice(await envelopes(lake.store, 'stripe'))).toEqual([])
  })

  it('fails loudly when the watermark is older than the 30 days of events, until a full refresh', async () => {
    await pull()
    const late = NOW + 40 * 86_400_000
    const stale = await pull({ now: late })
    expect(stale.status).toBe('failed')
    expect(stale.error).toMatch(/older than the 30 days Stripe keeps events/)
    const refreshed = await pull({ now: late, fullRefresh: true })
    expect(refreshed.status).toBe('complete')
    expect(landed(refreshed, 'customers')?.watermark_after).toBe(new Date(late - LAG).toISOString())
  })
})
