import { FakeHttp, type JsonAnswer, type SeenRequest } from './fake-http.js'

/**
 * A loopback HubSpot CRM v3 API for the official `@hubspot/api-client` (`basePath`):
 *
 * - `POST /crm/v3/objects/{type}/search` with filterGroups (OR of ANDed filters; EQ, NEQ, GT, GTE,
 *   LT, LTE on dates as epoch milliseconds and on `hs_object_id`), one sort (a property name,
 *   `-name` for descending, or `{propertyName, direction}`), `limit` up to 200 and `after` as an
 *   offset; like HubSpot it refuses to page past 10,000 results of one search (400) and returns
 *   the requested properties plus the defaults. Records sharing a sort value come in no
 *   particular order (here: newest id first), as in HubSpot's index.
 * - `GET /crm/v3/objects/{type}?archived=true&limit&after` lists archived records, opaque cursors.
 * - `GET /crm/v3/properties/{type}`, `GET /crm/v3/pipelines/deals`.
 * - 401 without the bearer token; HubSpot's error body (`status`, `message`, `category`).
 */

export interface CrmRecord {
  id: string
  properties: Record<string, string | null>
  createdAt: string
  updatedAt: string
  archived: boolean
  archivedAt?: string
}

export const MODIFIED: Record<string, string> = {
  companies: 'hs_lastmodifieddate',
  contacts: 'lastmodifieddate',
  deals: 'hs_lastmodifieddate',
}

const DEFAULTS: Record<string, string[]> = {
  companies: ['name', 'domain', 'createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  contacts: ['firstname', 'lastname', 'email', 'createdate', 'lastmodifieddate', 'hs_object_id'],
  deals: [
    'dealname',
    'amount',
    'dealstage',
    'pipeline',
    'closedate',
    'createdate',
    'hs_lastmodifieddate',
    'hs_object_id',
  ],
}

/** HubSpot's cap on the results one search can page through. */
export const SEARCH_CAP = 10_000

interface Filter {
  propertyName: string
  operator: string
  value?: string
}

export class FakeHubSpot {
  readonly http: FakeHttp
  readonly records = new Map<string, CrmRecord[]>()
  readonly pipelines: Record<string, unknown>[] = []
  /** Searches the fake refused for going past the 10,000-results cap. */
  capRefusals = 0

  constructor(readonly token = 'pat-fake') {
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

  add(type: string, record: CrmRecord): CrmRecord {
    const list = this.records.get(type) ?? []
    list.push(record)
    this.records.set(type, list)
    return record
  }

  /** Changes properties at `at` (ISO), bumping the last-modified property and updatedAt. */
  modify(type: string, id: string, properties: Record<string, string | null>, at: string): void {
    const record = this.records.get(type)?.find((r) => r.id === id)
    if (record === undefined) throw new Error(`no ${type} ${id}`)
    Object.assign(record.properties, properties, { [MODIFIED[type] ?? 'hs_lastmodifieddate']: at })
    record.updatedAt = at
  }

  archive(type: string, id: string, at: string): void {
    const record = this.records.get(type)?.find((r) => r.id === id)
    if (record === undefined) throw new Error(`no ${type} ${id}`)
    record.archived = true
    record.archivedAt = at
    record.updatedAt = at
  }

  private route(request: SeenRequest): JsonAnswer {
    if (request.headers.authorization !== `Bearer ${this.token}`) {
      return hubspotError(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found.')
    }
    const parts = request.path.split('/').filter(Boolean)
    if (parts[0] !== 'crm' || parts[1] !== 'v3') return hubspotError(404, 'OBJECT_NOT_FOUND', 'not found')
    if (parts[2] === 'properties' && parts[3] !== undefined) {
      const type = parts[3]
      const names = new Set(DEFAULTS[type] ?? [])
      for (const r of this.records.get(type) ?? []) for (const k of Object.keys(r.properties)) names.add(k)
      return { body: { results: [...names].sort().map((name) => ({ name, label: name, type: 'string' })) } }
    }
    if (parts[2] === 'pipelines' && parts[3] === 'deals') return { body: { results: this.pipelines } }
    if (parts[2] !== 'objects' || parts[3] === undefined)
      return hubspotError(404, 'OBJECT_NOT_FOUND', 'not found')
    const type = parts[3]
    const all = this.records.get(type) ?? []
    if (parts[4] === 'search' && request.method === 'POST') return this.search(type, all, request)
    if (parts[4] === undefined && request.method === 'GET') {
      const archived = request.query.get('archived') === 'true'
      const limit = Number(request.query.get('limit') ?? '10')
      if (limit > 100) return hubspotError(400, 'VALIDATION_ERROR', 'limit must be at most 100')
      const after = request.query.get('after')
      const start = after === null ? 0 : Number(Buffer.from(after, 'base64url').toString('utf8'))
      const rows = all.filter((r) => r.archived === archived).sort((a, b) => Number(a.id) - Number(b.id))
      const results = rows.slice(start, start + limit).map((r) => this.shape(type, r, undefined))
      const next =
        start + limit < rows.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined
      return { body: { results, ...(next ? { paging: { next: { after: next, link: '' } } } : {}) } }
    }
    return hubspotError(405, 'VALIDATION_ERROR', 'method not allowed')
  }

  private search(type: string, all: readonly CrmRecord[], request: SeenRequest): JsonAnswer {
    const body = JSON.parse(request.body || '{}') as {
      filterGroups?: { filters: Filter[] }[]
      sorts?: (string | { propertyName: string; direction?: string })[]
      properties?: string[]
      limit?: number
      after?: string | number
    }
    const limit = body.limit ?? 10
    const after = Number(body.after ?? 0)
    if (limit > 200) return hubspotError(400, 'VALIDATION_ERROR', 'limit must be at most 200')
    if (after + limit > SEARCH_CAP) {
      this.capRefusals += 1
      return hubspotError(400, 'VALIDATION_ERROR', 'There was a problem with the request.')
    }
    const groups = body.filterGroups ?? []
    if (groups.length > 5 || groups.some((g) => g.filters.length > 10)) {
      return hubspotError(400, 'VALIDATION_ERROR', 'too many filters')
    }
    const live = all.filter((r) => !r.archived)
    const matching =
      groups.length === 0
        ? live
        : live.filter((r) => groups.some((g) => g.filters.every((f) => test(type, r, f))))
    const sort = body.sorts?.[0]
    const sortBy = typeof sort === 'string' ? sort.replace(/^-/, '') : sort?.propertyName
    const descending = typeof sort === 'string' ? sort.startsWith('-') : sort?.direction === 'DESCENDING'
    // Ties in no particular order (newest id first here), like HubSpot's index.
    const ordered = [...matching].sort((a, b) => {
      if (sortBy !== undefined) {
        const d = propertyValue(type, a, sortBy) - propertyValue(type, b, sortBy)
        if (d !== 0) return descending ? -d : d
      }
      return Number(b.id) - Number(a.id)
    })
    const results = ordered.slice(after, after + limit).map((r) => this.shape(type, r, body.properties))
    const more = after + limit < ordered.length
    return {
      body: {
        total: ordered.length,
        results,
        ...(more ? { paging: { next: { after: String(after + limit), link: '' } } } : {}),
      },
    }
  }

  private shape(type: string, r: CrmRecord, requested: string[] | undefined): Record<string, unknown> {
    const keys = new Set([
      ...(requested ?? DEFAULTS[type] ?? []),
      'hs_object_id',
      'createdate',
      MODIFIED[type] ?? '',
    ])
    const properties: Record<string, string | null> = {}
    for (const key of keys)
      if (key !== '') properties[key] = key === 'hs_object_id' ? r.id : (r.properties[key] ?? null)
    return {
      id: r.id,
      properties,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      archived: r.archived,
      ...(r.archivedAt ? { archivedAt: r.archivedAt } : {}),
    }
  }
}

function propertyValue(type: string, r: CrmRecord, property: string): number {
  if (property === 'hs_object_id') return Number(r.id)
  const value = property === MODIFIED[type] ? (r.properties[property] ?? r.updatedAt) : r.properties[property]
  if (value === null || value === undefined) return Number.NEGATIVE_INFINITY
  return /^\d+$/.test(value) ? Number(value) : Date.parse(value)
}

function test(type: string, r: CrmRecord, f: Filter): boolean {
  const v = propertyValue(type, r, f.propertyName)
  const x = Number(f.value)
  switch (f.operator) {
    case 'EQ':
      return v === x
    case 'NEQ':
      return v !== x
    case 'GT':
      return v > x
    case 'GTE':
      return v >= x
    case 'LT':
      return v < x
    case 'LTE':
      return v <= x
    default:
      throw new Error(`operator ${f.operator} is not in this fake`)
  }
}

export function hubspotError(
  status: number,
  category: string,
  message: string,
  extra: Record<string, unknown> = {},
): JsonAnswer {
  return {
    status,
    body: {
      status: 'error',
      message,
      correlationId: '00000000-0000-0000-0000-000000000000',
      category,
      ...extra,
    },
  }
}
