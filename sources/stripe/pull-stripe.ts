import Stripe from 'stripe'
import { z } from 'zod'
import { UserError } from '../../core/errors.js'
import { fromEpochSeconds } from '../fields.js'
import { loadPullEnv, optionalBaseUrl } from '../landing/pull-credentials.js'
import type { Json, PulledPage, PulledRecord, PullFeed } from '../landing/pull-feed.js'
import { httpVerdict, isNetworkError, type RetryVerdict, VendorCallError } from '../landing/pull-retry.js'
import type { PullRun } from '../landing/pull-run.js'
import type { SourcePull } from '../landing/pull-source.js'
import type { PullWindow } from '../landing/pull-state.js'

/** Settings of a Stripe pull (env, or the secret named by REVOPS_SECRET_ARN). */
export const StripePullEnv = z.object({
  /** A restricted key with read access is enough (rk_…); secret keys (sk_…) work too. */
  STRIPE_API_KEY: z.string().regex(/^(sk|rk)_\w+$/, 'expected a secret (sk_…) or restricted (rk_…) key'),
  /** Another API host (a proxy, a test server), e.g. http://127.0.0.1:12111. */
  STRIPE_API_BASE_URL: optionalBaseUrl(),
})
export type StripePullEnv = z.infer<typeof StripePullEnv>

/** Stripe keeps events for 30 days; a watermark older than this (less a margin) cannot be caught up. */
const EVENT_RETENTION_MS = 30 * 24 * 3600_000 - 3600_000
const PAGE = 100
/** Objects re-fetched at once after a page of events (Stripe allows 25 reads/s per endpoint). */
const REFETCH_CONCURRENCY = 4

/**
 * The official SDK with its own retries off: every call goes through the pull's retry policy,
 * which also honours Retry-After and the run's deadline (the SDK retries neither 429 nor by it).
 */
export function stripeClient(env: StripePullEnv): Stripe {
  const base = env.STRIPE_API_BASE_URL === undefined ? undefined : new URL(env.STRIPE_API_BASE_URL)
  const protocol = base?.protocol === 'http:' ? 'http' : 'https'
  return new Stripe(env.STRIPE_API_KEY, {
    maxNetworkRetries: 0,
    telemetry: false,
    timeout: 80_000,
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (protocol === 'http' ? 80 : 443)),
          protocol,
        }
      : {}),
  })
}

type ListParams = { limit: number; starting_after?: string; created: { lte: number; gte?: number } }
type ListCall = (params: ListParams) => PromiseLike<unknown>

interface ObjectRoute {
  readonly entity: string
  /** API path for messages. */
  readonly path: string
  readonly list: (s: Stripe) => ListCall
  readonly retrieve?: (s: Stripe, id: string) => PromiseLike<unknown>
  /** Entities that arrive inside this object (embedded lists longer than Stripe embeds). */
  readonly nested?: readonly string[]
}

/** Each listed entity, in backfill order (what others refer to first). */
const ROUTES: readonly ObjectRoute[] = [
  {
    entity: 'customers',
    path: 'customers',
    list: (s) => (p) => s.customers.list(p),
    retrieve: (s, id) => s.customers.retrieve(id),
  },
  {
    entity: 'products',
    path: 'products',
    list: (s) => (p) => s.products.list(p),
    retrieve: (s, id) => s.products.retrieve(id),
  },
  {
    entity: 'prices',
    path: 'prices',
    list: (s) => (p) => s.prices.list(p),
    retrieve: (s, id) => s.prices.retrieve(id),
  },
  {
    entity: 'coupons',
    path: 'coupons',
    list: (s) => (p) => s.coupons.list(p),
    retrieve: (s, id) => s.coupons.retrieve(id),
  },
  {
    entity: 'subscriptions',
    path: 'subscriptions',
    // Without status=all the list leaves out canceled subscriptions.
    list: (s) => (p) => s.subscriptions.list({ ...p, status: 'all' }),
    retrieve: (s, id) => s.subscriptions.retrieve(id),
    nested: ['subscription_items'],
  },
  {
    entity: 'invoices',
    path: 'invoices',
    list: (s) => (p) => s.invoices.list(p),
    retrieve: (s, id) => s.invoices.retrieve(id),
    nested: ['invoice_line_items'],
  },
  {
    entity: 'charges',
    path: 'charges',
    list: (s) => (p) => s.charges.list(p),
    retrieve: (s, id) => s.charges.retrieve(id),
  },
  {
    entity: 'refunds',
    path: 'refunds',
    list: (s) => (p) => s.refunds.list(p),
    retrieve: (s, id) => s.refunds.retrieve(id),
  },
  {
    entity: 'credit_notes',
    path: 'credit_notes',
    list: (s) => (p) => s.creditNotes.list(p),
    retrieve: (s, id) => s.creditNotes.retrieve(id),
  },
  { entity: 'events', path: 'events', list: (s) => (p) => s.events.list(p) },
]

/** The object types whose events re-fetch the object into an entity (`data.object.object`). */
const BY_OBJECT_TYPE: Readonly<Record<string, ObjectRoute | undefined>> = {
  customer: route('customers'),
  product: route('products'),
  price: route('prices'),
  coupon: route('coupons'),
  subscription: route('subscriptions'),
  invoice: route('invoices'),
  charge: route('charges'),
  refund: route('refunds'),
  credit_note: route('credit_notes'),
}

const ALL_ENTITIES = ROUTES.flatMap((r) => [r.entity, ...(r.nested ?? [])])

const ListPage = z.looseObject({
  data: z.array(
    z.looseObject({ id: z.string().min(1), created: z.number().optional(), updated: z.number().optional() }),
  ),
  has_more: z.boolean(),
})

/** A listed object: the checked fields the pull needs, and the object itself untouched (its payload). */
interface Listed {
  readonly id: string
  readonly created: number | undefined
  readonly updated: number | undefined
  readonly value: Record<string, unknown>
}
const StripeEvent = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  created: z.number(),
  data: z.looseObject({ object: z.looseObject({ id: z.string().optional(), object: z.string() }) }),
})
const Resume = z.object({ starting_after: z.string().min(1) })

/**
 * `revops pull stripe` and the Stripe Lambda. The safety lag is longer than elsewhere: a new
 * event can take a few minutes to be listed.
 */
export const stripeSourcePull: SourcePull = {
  source: 'stripe',
  defaults: { lagMs: 5 * 60_000 },
  async pull(run, env, options) {
    const config = await loadPullEnv(StripePullEnv, env, {
      source: 'stripe',
      ...(options.secrets ? { secrets: options.secrets } : {}),
    })
    await pullStripe(run, stripeClient(config), { fullRefresh: options.fullRefresh })
  },
}

export interface PullStripeOptions {
  /** List every object again (a new backfill), e.g. after the watermark fell out of the event retention. */
  readonly fullRefresh?: boolean
}

/**
 * Stripe: a first run (or --full-refresh) lists every entity with `created ≤ window end`, page by
 * page with `starting_after` (each entity its own resumable feed). After that, one change feed
 * reads `/v1/events` from the oldest watermark minus the overlap, lands each event, and re-fetches
 * every object an event names for its current state, with the event's time as `_updated_at`
 * (events are rendered in the API version of their day and lack expandable fields). `*.deleted`
 * events land tombstones. Routing by `data.object.object` instead of a list of event types means a
 * new event type can never be missed silently.
 */
export async function pullStripe(
  run: PullRun,
  client: Stripe,
  options: PullStripeOptions = {},
): Promise<void> {
  for (const spec of ROUTES) {
    const feed = listFeed(run, client, spec)
    const needed =
      options.fullRefresh === true ||
      (await run.hasOpenWindow(feed.name)) ||
      (await Promise.all(feed.entities.map((e) => run.watermark(e)))).some((w) => w === null)
    if (!needed) continue
    const status = await run.feed(feed)
    if (status !== 'complete' && status !== 'up_to_date') return
  }
  await run.feed(changeFeed(run, client))
}

function listFeed(run: PullRun, client: Stripe, spec: ObjectRoute): PullFeed {
  return {
    name: `backfill_${spec.entity}`,
    entities: [spec.entity, ...(spec.nested ?? [])],
    fromBeginning: true,
    async *pages(window: PullWindow, resume: Json | null): AsyncGenerator<PulledPage> {
      const lte = Math.floor(Date.parse(window.to) / 1000)
      let after = resume === null ? undefined : Resume.parse(resume).starting_after
      const list = spec.list(client)
      for (;;) {
        const params: ListParams = {
          limit: PAGE,
          created: { lte },
          ...(after ? { starting_after: after } : {}),
        }
        const page = parseList(
          await run.retrier.call(`GET /v1/${spec.path}`, () => list(params), stripeVerdict),
          spec.path,
        )
        const records: PulledRecord[] = []
        for (const object of page.items) {
          const stamp = stampOf(object)
          records.push({ entity: spec.entity, value: object.value, ...stamp })
          records.push(...(await nestedRecords(run, client, spec, object, stamp)))
        }
        const last = page.items.at(-1)
        const next = page.hasMore && last ? { starting_after: last.id } : null
        yield { records, next }
        if (next === null) return
        after = next.starting_after
      }
    },
  }
}

function changeFeed(run: PullRun, client: Stripe): PullFeed {
  return {
    name: 'changes',
    entities: ALL_ENTITIES,
    relatedFeeds: ROUTES.map((r) => `backfill_${r.entity}`),
    windowFrom: (oldest, now) => {
      if (oldest === null) throw new Error('the Stripe change feed runs only after every entity was listed')
      const from = new Date(oldest.getTime() - run.settings.overlapMs)
      if (now.getTime() - from.getTime() > EVENT_RETENTION_MS) {
        throw new UserError(
          `the oldest Stripe watermark (${oldest.toISOString()}) is older than the 30 days Stripe keeps events`,
          { hint: 'list every object again: revops pull stripe --full-refresh' },
        )
      }
      return from
    },
    async *pages(window: PullWindow, resume: Json | null): AsyncGenerator<PulledPage> {
      const created = {
        lte: Math.floor(Date.parse(window.to) / 1000),
        ...(window.from === null ? {} : { gte: Math.floor(Date.parse(window.from) / 1000) }),
      }
      let after = resume === null ? undefined : Resume.parse(resume).starting_after
      // Events come newest first: the first event of an object in the window is its latest, so
      // one re-fetch per object and window is enough.
      const refetched = new Set<string>()
      for (;;) {
        const params: ListParams = { limit: PAGE, created, ...(after ? { starting_after: after } : {}) }
        const page = parseList(
          await run.retrier.call('GET /v1/events', () => client.events.list(params), stripeVerdict),
          'events',
        )
        const records: PulledRecord[] = []
        const changes: { event: z.infer<typeof StripeEvent>; route: ObjectRoute; id: string }[] = []
        for (const listed of page.items) {
          const event = StripeEvent.safeParse(listed.value)
          // A malformed event still lands (and is quarantined by its contract); it names no object.
          records.push({ entity: 'events', value: listed.value, ...stampOf(listed) })
          if (!event.success) continue
          const route = BY_OBJECT_TYPE[event.data.data.object.object]
          const id = event.data.data.object.id
          if (route === undefined || id === undefined || refetched.has(`${route.entity}:${id}`)) continue
          refetched.add(`${route.entity}:${id}`)
          changes.push({ event: event.data, route, id })
        }
        const fetched = await mapLimit(changes, REFETCH_CONCURRENCY, (change) =>
          currentState(run, client, change.event, change.route, change.id),
        )
        records.push(...fetched.flat())
        const last = page.items.at(-1)
        const next = page.hasMore && last ? { starting_after: last.id } : null
        yield { records, next }
        if (next === null) return
        after = next.starting_after
      }
    },
  }
}

/**
 * Where a listed object sits in time, and the cursor its contract would compute (`updated`, else
 * `created`), stated so that a later re-fetch of the same version by the change feed, which
 * stamps it with its event's time, is recognised as already landed.
 */
function stampOf(object: Listed): { position: string | null; cursor?: string } {
  const position = object.created === undefined ? null : fromEpochSeconds(object.created)
  const cursor = object.updated === undefined ? position : fromEpochSeconds(object.updated)
  return { position, ...(cursor === null ? {} : { cursor }) }
}

/** The object an event names, as it is now (or a tombstone for a deletion). */
async function currentState(
  run: PullRun,
  client: Stripe,
  event: z.infer<typeof StripeEvent>,
  spec: ObjectRoute,
  id: string,
): Promise<PulledRecord[]> {
  const at = fromEpochSeconds(event.created)
  const objectType = event.data.object.object
  if (event.type === `${objectType}.deleted`) {
    return [
      { entity: spec.entity, value: { id, object: objectType, deleted: true }, position: at, cursor: at },
    ]
  }
  if (spec.retrieve === undefined) return []
  const retrieve = spec.retrieve
  let object: unknown
  try {
    object = await run.retrier.call(`GET /v1/${spec.path}/${id}`, () => retrieve(client, id), stripeVerdict)
  } catch (error) {
    if (!(error instanceof VendorCallError && statusOf(error.cause) === 404)) throw error
    // Gone since the event (its deletion comes in a later window): land what the event saw.
    run.note(`stripe: some objects were gone when re-fetched; their event snapshots landed instead`)
    return [{ entity: spec.entity, value: event.data.object, position: at, cursor: at }]
  }
  const parsed = z.looseObject({ id: z.string().min(1) }).safeParse(object)
  if (!parsed.success) return [{ entity: spec.entity, value: object, position: at, cursor: at }]
  const listed = {
    id: parsed.data.id,
    created: undefined,
    updated: undefined,
    value: object as Record<string, unknown>,
  }
  return [
    { entity: spec.entity, value: object, position: at, cursor: at },
    ...(await nestedRecords(run, client, spec, listed, { position: at, cursor: at })),
  ]
}

/**
 * Lines of an invoice and items of a subscription beyond what Stripe embeds (`has_more`), listed
 * whole into their own entity, each line with its invoice.
 */
async function nestedRecords(
  run: PullRun,
  client: Stripe,
  spec: ObjectRoute,
  object: Listed,
  at: { position: string | null; cursor?: string },
): Promise<PulledRecord[]> {
  const embedded = z
    .looseObject({ has_more: z.boolean() })
    .safeParse(
      spec.entity === 'invoices'
        ? object.value.lines
        : spec.entity === 'subscriptions'
          ? object.value.items
          : undefined,
    )
  if (!embedded.success || !embedded.data.has_more) return []
  const records: PulledRecord[] = []
  let after: string | undefined
  for (;;) {
    const params = { limit: PAGE, ...(after ? { starting_after: after } : {}) }
    const page = parseList(
      spec.entity === 'invoices'
        ? await run.retrier.call(
            `GET /v1/invoices/${object.id}/lines`,
            () => client.invoices.listLineItems(object.id, params),
            stripeVerdict,
          )
        : await run.retrier.call(
            'GET /v1/subscription_items',
            () => client.subscriptionItems.list({ ...params, subscription: object.id }),
            stripeVerdict,
          ),
      spec.entity === 'invoices' ? 'invoice lines' : 'subscription_items',
    )
    for (const item of page.items) {
      // Lines name their invoice in current API versions; older ones need it for the key.
      const value =
        spec.entity === 'invoices' && item.value.invoice === undefined
          ? { ...item.value, invoice: object.id }
          : item.value
      records.push({
        entity: spec.entity === 'invoices' ? 'invoice_line_items' : 'subscription_items',
        value,
        ...at,
      })
    }
    const last = page.items.at(-1)
    if (!page.hasMore || last === undefined) return records
    after = last.id
  }
}

/** Checks a list page, keeping each object as the SDK gave it (zod's copy would reorder its keys). */
function parseList(value: unknown, what: string): { items: Listed[]; hasMore: boolean } {
  const parsed = ListPage.safeParse(value)
  if (!parsed.success) {
    throw new VendorCallError(
      `GET /v1/${what} returned an unexpected list: ${parsed.error.issues[0]?.message}`,
    )
  }
  const originals = (value as { data: Record<string, unknown>[] }).data
  const items = parsed.data.data.map((object, i) => ({
    id: object.id,
    created: object.created,
    updated: object.updated,
    value: originals[i] as Record<string, unknown>,
  }))
  return { items, hasMore: parsed.data.has_more }
}

function route(entity: string): ObjectRoute | undefined {
  return ROUTES.find((r) => r.entity === entity)
}

function statusOf(error: unknown): number | undefined {
  return error instanceof Stripe.errors.StripeError ? error.statusCode : undefined
}

/** Stripe's retry rules: its `Stripe-Should-Retry` header first, then 409/429/5xx and dropped connections. */
export function stripeVerdict(error: unknown): RetryVerdict {
  if (error instanceof Stripe.errors.StripeError) {
    const headers = (error.headers ?? {}) as Record<string, unknown>
    const reason = `HTTP ${error.statusCode ?? '-'}${error.code ? ` ${error.code}` : ''}`
    if (error instanceof Stripe.errors.StripeConnectionError)
      return { retry: true, reason: 'connection error' }
    if (headers['stripe-should-retry'] === 'false') return { retry: false, reason }
    if (headers['stripe-should-retry'] === 'true' || error.statusCode === 409) return { retry: true, reason }
    if (error.statusCode === 401) return { retry: false, reason, hint: 'check STRIPE_API_KEY' }
    if (error.statusCode === 403) {
      return { retry: false, reason, hint: 'the restricted key needs read access to this resource' }
    }
    return { ...httpVerdict(error.statusCode, headers['retry-after']), reason }
  }
  if (isNetworkError(error)) return { retry: true, reason: 'connection error' }
  return { retry: false, reason: 'error' }
}

/** `fn` over `items`, at most `limit` at a time, results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next
      next += 1
      results[index] = await fn(items[index] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
