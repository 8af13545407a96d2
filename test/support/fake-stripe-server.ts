import { FakeHttp, type JsonAnswer, type SeenRequest } from './fake-http.js'

/**
 * A loopback Stripe API for the official `stripe` SDK (`host`, `port`, `protocol: 'http'`): list
 * endpoints newest first with `limit` (1–100), `starting_after`/`ending_before` object cursors,
 * `has_more` and `created[gt|gte|lt|lte]`; retrieve by id with Stripe's error body
 * (`resource_missing` 404); deleted customers retrieve as `{id, object, deleted: true}`; events
 * for every change made through `update`/`remove`; `/v1/invoices/:id/lines` and
 * `/v1/subscription_items?subscription=`. Requests without `Authorization: Bearer <key>` get 401.
 */

export type StripeObject = { id: string; object: string; created: number } & Record<string, unknown>
/** What a list holds: objects, or invoice lines (which have no `created`). */
export type Listable = { id: string; created?: number } & Record<string, unknown>

/** API path → the object type Stripe uses in `object` and event types. */
export const OBJECT_TYPES: Record<string, string> = {
  customers: 'customer',
  products: 'product',
  prices: 'price',
  coupons: 'coupon',
  subscriptions: 'subscription',
  invoices: 'invoice',
  charges: 'charge',
  refunds: 'refund',
  credit_notes: 'credit_note',
  subscription_items: 'subscription_item',
}

/** Subscriptions' events are `customer.subscription.*`, the rest `<object>.*`. */
const EVENT_PREFIX: Record<string, string> = { subscription: 'customer.subscription' }

export class FakeStripe {
  readonly http: FakeHttp
  /** Objects by API path, in creation order. */
  readonly objects = new Map<string, StripeObject[]>()
  readonly events: StripeObject[] = []
  readonly deleted = new Set<string>()
  /** Invoice lines beyond the embedded ones, by invoice id. */
  readonly lines = new Map<string, Listable[]>()
  /** Every item of a subscription whose embedded list is cut short, by subscription id. */
  readonly items = new Map<string, Listable[]>()
  private eventCount = 0

  constructor(readonly apiKey = 'sk_test_fake') {
    this.http = new FakeHttp((request) => this.route(request))
  }

  async start(): Promise<this> {
    await this.http.start()
    return this
  }

  stop(): Promise<void> {
    return this.http.stop()
  }

  get url(): string {
    return this.http.url
  }

  /** Adds an object (and, unless `quiet`, its `.created` event at its `created` time). */
  add(path: string, object: StripeObject, options: { quiet?: boolean } = {}): StripeObject {
    const list = this.objects.get(path) ?? []
    list.push(object)
    this.objects.set(path, list)
    if (!options.quiet) this.event('created', object, object.created)
    return object
  }

  /** Changes an object now-ish (`at`, Unix seconds) and records the `.updated` event with its snapshot. */
  update(path: string, id: string, patch: Record<string, unknown>, at: number): StripeObject {
    const object = this.find(path, id)
    if (object === undefined) throw new Error(`no ${path} ${id}`)
    Object.assign(object, patch)
    this.event('updated', object, at)
    return object
  }

  /** Deletes an object: retrieve answers 404 (customers: a deleted stub), and a `.deleted` event is recorded. */
  remove(path: string, id: string, at: number): void {
    const object = this.find(path, id)
    if (object === undefined) throw new Error(`no ${path} ${id}`)
    this.deleted.add(id)
    this.event('deleted', object, at)
  }

  find(path: string, id: string): StripeObject | undefined {
    return this.objects.get(path)?.find((o) => o.id === id)
  }

  /** Records an event of any type (for event types the pull must ignore or route). */
  event(verb: string, object: StripeObject, at: number): StripeObject {
    this.eventCount += 1
    const type = `${EVENT_PREFIX[object.object] ?? object.object}.${verb}`
    const event: StripeObject = {
      id: `evt_${String(this.eventCount).padStart(6, '0')}`,
      object: 'event',
      api_version: '2025-03-31.basil',
      created: at,
      type,
      livemode: false,
      pending_webhooks: 0,
      data: { object: structuredClone(object) },
    }
    this.events.push(event)
    return event
  }

  private route(request: SeenRequest): JsonAnswer {
    if (request.headers.authorization !== `Bearer ${this.apiKey}`) {
      return stripeError(401, 'invalid_request_error', 'Invalid API Key provided', 'api_key_invalid')
    }
    if (request.method !== 'GET') return stripeError(405, 'invalid_request_error', 'only GET here')
    const parts = request.path.split('/').filter(Boolean)
    if (parts[0] !== 'v1') return stripeError(404, 'invalid_request_error', `Unrecognized request URL`)
    const [, resource, id, sub] = parts
    if (resource === undefined) return stripeError(404, 'invalid_request_error', 'Unrecognized request URL')
    if (resource === 'events') return this.list(request, '/v1/events', this.events)
    if (resource === 'subscription_items') {
      const subscription = request.query.get('subscription')
      const parent = subscription ? this.find('subscriptions', subscription) : undefined
      if (parent === undefined)
        return stripeError(400, 'invalid_request_error', 'Missing required param: subscription.')
      const items =
        this.items.get(parent.id) ?? (parent.items as { data: Listable[] } | undefined)?.data ?? []
      return this.list(request, '/v1/subscription_items', items, { newestFirst: false })
    }
    if (id !== undefined && sub === 'lines' && resource === 'invoices') {
      const invoice = this.find('invoices', id)
      if (invoice === undefined) return missing(id)
      return this.list(request, `/v1/invoices/${id}/lines`, this.lines.get(id) ?? [], { newestFirst: false })
    }
    const objects = this.objects.get(resource) ?? (resource in OBJECT_TYPES ? [] : undefined)
    if (objects === undefined) return stripeError(404, 'invalid_request_error', 'Unrecognized request URL')
    if (id === undefined) {
      const live = objects.filter((o) => !this.deleted.has(o.id))
      const status = request.query.get('status')
      const visible =
        resource === 'subscriptions' && status !== 'all' ? live.filter((o) => o.status !== 'canceled') : live
      return this.list(request, `/v1/${resource}`, visible)
    }
    const object = objects.find((o) => o.id === id)
    if (object === undefined) return missing(id)
    if (this.deleted.has(id)) {
      return resource === 'customers' ? { body: { id, object: 'customer', deleted: true } } : missing(id)
    }
    return { body: object }
  }

  private list(
    request: SeenRequest,
    url: string,
    all: readonly Listable[],
    options: { newestFirst?: boolean } = {},
  ): JsonAnswer {
    const q = request.query
    const limit = Number(q.get('limit') ?? '10')
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return stripeError(
        400,
        'invalid_request_error',
        'Invalid integer: limit must be between 1 and 100',
        undefined,
        'limit',
      )
    }
    const bound = (key: string) => (q.has(key) ? Number(q.get(key)) : undefined)
    const [gt, gte, lt, lte, eq] = ['gt', 'gte', 'lt', 'lte']
      .map((k) => bound(`created[${k}]`))
      .concat(bound('created'))
    const matching = all.filter((o) => {
      const c = o.created ?? 0
      return (
        (gt === undefined || c > gt) &&
        (gte === undefined || c >= gte) &&
        (lt === undefined || c < lt) &&
        (lte === undefined || c <= lte) &&
        (eq === undefined || c === eq)
      )
    })
    // Newest first, ties by id descending: a stable order, as Stripe's.
    const ordered =
      options.newestFirst === false
        ? matching
        : [...matching].sort(
            (a, b) => (b.created ?? 0) - (a.created ?? 0) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
          )
    let start = 0
    const after = q.get('starting_after')
    if (after !== null) {
      const index = ordered.findIndex((o) => o.id === after)
      if (index < 0 && !all.some((o) => o.id === after)) return missing(after, 'starting_after')
      start = index < 0 ? ordered.length : index + 1
    }
    const data = ordered.slice(start, start + limit)
    return { body: { object: 'list', url, has_more: start + limit < ordered.length, data } }
  }
}

export function stripeError(
  status: number,
  type: string,
  message: string,
  code?: string,
  param?: string,
): JsonAnswer {
  return {
    status,
    body: { error: { type, message, ...(code ? { code } : {}), ...(param ? { param } : {}) } },
  }
}

function missing(id: string, param = 'id'): JsonAnswer {
  return stripeError(404, 'invalid_request_error', `No such object: '${id}'`, 'resource_missing', param)
}
