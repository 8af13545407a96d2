import { FakeHttp, type JsonAnswer, type SeenRequest } from './fake-http.js'

/**
 * A loopback Salesforce REST API for jsforce (`instanceUrl`, `loginUrl`):
 *
 * - `GET /services/data/vXX.X/query?q=` and `/queryAll?q=` run a SOQL subset (SELECT fields FROM
 *   object WHERE comparisons joined by AND/OR with parentheses, ORDER BY fields ASC|DESC), in
 *   batches (2,000 by default, fewer when asked) with `done`, `totalSize` and `nextRecordsUrl`
 *   (`/services/data/vXX.X/query/<locator>-<offset>`, for queryAll too, as Salesforce does);
 *   `query` leaves out deleted rows, `queryAll` includes them with IsDeleted = true.
 * - `GET /services/data/vXX.X/sobjects/<Object>/describe` lists the fields.
 * - `POST /services/oauth2/token` grants an access token for a refresh token.
 * - Errors as Salesforce sends them: `[{"message", "errorCode"}]`; 401 INVALID_SESSION_ID without
 *   a valid bearer token; every answer carries `Sforce-Limit-Info: api-usage=<used>/<limit>`.
 */

export type SfRecord = { Id: string; IsDeleted?: boolean } & Record<string, unknown>

interface Field {
  name: string
  type: string
}

export class FakeSalesforce {
  readonly http: FakeHttp
  readonly objects = new Map<string, SfRecord[]>()
  readonly fields = new Map<string, Field[]>()
  batchSize = 2000
  apiUsed = 0
  apiLimit = 15_000
  token: string
  private readonly locators = new Map<string, { rows: SfRecord[]; fields: string[]; object: string }>()
  private locatorCount = 0

  constructor(
    token = 'sf-session',
    readonly refresh = { refreshToken: 'sf-refresh', clientId: 'sf-client' },
  ) {
    this.token = token
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

  define(object: string, fields: readonly Field[]): void {
    this.fields.set(object, [...fields])
    if (!this.objects.has(object)) this.objects.set(object, [])
  }

  add(object: string, record: SfRecord): SfRecord {
    const list = this.objects.get(object)
    if (list === undefined) throw new Error(`define ${object} first`)
    list.push(record)
    return record
  }

  update(object: string, id: string, patch: Record<string, unknown>): void {
    const record = this.objects.get(object)?.find((r) => r.Id === id)
    if (record === undefined) throw new Error(`no ${object} ${id}`)
    Object.assign(record, patch)
  }

  private route(request: SeenRequest): JsonAnswer {
    const answer = this.answer(request)
    this.apiUsed += 1
    return {
      ...answer,
      headers: { ...answer.headers, 'sforce-limit-info': `api-usage=${this.apiUsed}/${this.apiLimit}` },
    }
  }

  private answer(request: SeenRequest): JsonAnswer {
    if (request.path === '/services/oauth2/token' && request.method === 'POST') {
      const form = new URLSearchParams(request.body)
      if (
        form.get('grant_type') !== 'refresh_token' ||
        form.get('refresh_token') !== this.refresh.refreshToken
      ) {
        return {
          status: 400,
          body: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
        }
      }
      if (form.get('client_id') !== this.refresh.clientId) {
        return {
          status: 400,
          body: { error: 'invalid_client_id', error_description: 'client identifier invalid' },
        }
      }
      return {
        body: {
          access_token: this.token,
          instance_url: this.url,
          id: `${this.url}/id/00D/005`,
          token_type: 'Bearer',
          issued_at: String(Date.now()),
          signature: 'fake',
        },
      }
    }
    if (request.headers.authorization !== `Bearer ${this.token}`) {
      return sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid')
    }
    const match = /^\/services\/data\/v(\d+\.\d)\/(.*)$/.exec(request.path)
    if (match === null) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist')
    const [, version, rest = ''] = match
    const describe = /^sobjects\/(\w+)\/describe$/.exec(rest)
    if (describe) {
      const fields = this.fields.get(describe[1] ?? '')
      if (fields === undefined)
        return sfError(404, 'NOT_FOUND', `sObject type '${describe[1]}' is not supported.`)
      return {
        body: { name: describe[1], queryable: true, fields: fields.map((f) => ({ ...f, label: f.name })) },
      }
    }
    if (rest === 'query' || rest === 'queryAll') {
      const soql = request.query.get('q')
      if (soql === null) return sfError(400, 'MALFORMED_QUERY', 'missing q')
      let parsed: Parsed
      try {
        parsed = parseSoql(soql)
      } catch (error) {
        return sfError(400, 'MALFORMED_QUERY', String(error))
      }
      const all = this.objects.get(parsed.object)
      const known = new Set((this.fields.get(parsed.object) ?? []).map((f) => f.name))
      if (all === undefined)
        return sfError(400, 'INVALID_TYPE', `sObject type '${parsed.object}' is not supported.`)
      const unknown = parsed.fields.find((f) => !known.has(f))
      if (unknown)
        return sfError(400, 'INVALID_FIELD', `No such column '${unknown}' on entity '${parsed.object}'.`)
      const rows = all
        .filter((r) => rest === 'queryAll' || r.IsDeleted !== true)
        .filter((r) => parsed.where === null || evaluate(parsed.where, r))
        .sort((a, b) => {
          for (const { field, descending } of parsed.orderBy) {
            const d = compare(a[field], b[field])
            if (d !== 0) return descending ? -d : d
          }
          return 0
        })
      return this.batch(version ?? '', parsed.object, parsed.fields, rows, 0)
    }
    const more = /^query\/(\w+)-(\d+)$/.exec(rest)
    if (more) {
      const state = this.locators.get(more[1] ?? '')
      if (state === undefined) return sfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator')
      return this.batch(version ?? '', state.object, state.fields, state.rows, Number(more[2]), more[1])
    }
    return sfError(404, 'NOT_FOUND', 'The requested resource does not exist')
  }

  private batch(
    version: string,
    object: string,
    fields: string[],
    rows: SfRecord[],
    offset: number,
    locator?: string,
  ): JsonAnswer {
    const slice = rows.slice(offset, offset + this.batchSize)
    const done = offset + this.batchSize >= rows.length
    let id = locator
    if (!done && id === undefined) {
      this.locatorCount += 1
      id = `01gFAKE${String(this.locatorCount).padStart(8, '0')}`
      this.locators.set(id, { rows, fields, object })
    }
    const records = slice.map((r) => {
      const out: Record<string, unknown> = {
        attributes: { type: object, url: `/services/data/v${version}/sobjects/${object}/${r.Id}` },
      }
      for (const f of fields) out[f] = r[f] ?? null
      return out
    })
    return {
      body: {
        totalSize: rows.length,
        done,
        ...(done
          ? {}
          : { nextRecordsUrl: `/services/data/v${version}/query/${id}-${offset + this.batchSize}` }),
        records,
      },
    }
  }
}

export function sfError(status: number, errorCode: string, message: string): JsonAnswer {
  return { status, body: [{ message, errorCode }] }
}

// A SOQL subset: enough for the queries a pull sends, strict about everything else.

type Expr =
  | { kind: 'and'; parts: Expr[] }
  | { kind: 'or'; parts: Expr[] }
  | { kind: 'cmp'; field: string; op: string; value: string | number | boolean | null }

interface Parsed {
  fields: string[]
  object: string
  where: Expr | null
  orderBy: { field: string; descending: boolean }[]
}

const TOKEN =
  /\s*(>=|<=|!=|[(),=<>]|'(?:[^'\\]|\\.)*'|[A-Za-z_][\w.]*|\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})|-?\d+(?:\.\d+)?)/y

function parseSoql(soql: string): Parsed {
  const tokens: string[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < soql.length) {
    if (/^\s*$/.test(soql.slice(TOKEN.lastIndex))) break
    const m = TOKEN.exec(soql)
    if (m === null)
      throw new Error(
        `unexpected token at ${TOKEN.lastIndex}: ${soql.slice(TOKEN.lastIndex, TOKEN.lastIndex + 20)}`,
      )
    tokens.push(m[1] as string)
  }
  let i = 0
  const peek = () => tokens[i]
  const next = () => {
    const t = tokens[i]
    if (t === undefined) throw new Error('unexpected end of query')
    i += 1
    return t
  }
  const keyword = (word: string) => {
    if (peek()?.toUpperCase() !== word) throw new Error(`expected ${word} at ${peek()}`)
    i += 1
  }
  keyword('SELECT')
  const fields = [next()]
  while (peek() === ',') {
    i += 1
    fields.push(next())
  }
  keyword('FROM')
  const object = next()
  const primary = (): Expr => {
    if (peek() === '(') {
      i += 1
      const inner = disjunction()
      if (next() !== ')') throw new Error('expected )')
      return inner
    }
    const field = next()
    const op = next()
    if (!['=', '!=', '<', '<=', '>', '>='].includes(op)) throw new Error(`bad operator ${op}`)
    const raw = next()
    const value = raw.startsWith("'")
      ? raw.slice(1, -1).replace(/\\(.)/g, '$1')
      : /^(true|false)$/i.test(raw)
        ? raw.toLowerCase() === 'true'
        : /^null$/i.test(raw)
          ? null
          : /^\d{4}-/.test(raw)
            ? raw
            : Number(raw)
    return { kind: 'cmp', field, op, value }
  }
  const conjunction = (): Expr => {
    const parts = [primary()]
    while (peek()?.toUpperCase() === 'AND') {
      i += 1
      parts.push(primary())
    }
    return parts.length === 1 ? (parts[0] as Expr) : { kind: 'and', parts }
  }
  const disjunction = (): Expr => {
    const parts = [conjunction()]
    while (peek()?.toUpperCase() === 'OR') {
      i += 1
      parts.push(conjunction())
    }
    return parts.length === 1 ? (parts[0] as Expr) : { kind: 'or', parts }
  }
  let where: Expr | null = null
  if (peek()?.toUpperCase() === 'WHERE') {
    i += 1
    where = disjunction()
  }
  const orderBy: Parsed['orderBy'] = []
  if (peek()?.toUpperCase() === 'ORDER') {
    i += 1
    keyword('BY')
    for (;;) {
      const field = next()
      let descending = false
      if (peek()?.toUpperCase() === 'ASC') i += 1
      else if (peek()?.toUpperCase() === 'DESC') {
        i += 1
        descending = true
      }
      orderBy.push({ field, descending })
      if (peek() !== ',') break
      i += 1
    }
  }
  if (i < tokens.length) throw new Error(`unexpected ${tokens[i]}`)
  return { fields, object, where, orderBy }
}

function evaluate(expr: Expr, record: SfRecord): boolean {
  if (expr.kind === 'and') return expr.parts.every((p) => evaluate(p, record))
  if (expr.kind === 'or') return expr.parts.some((p) => evaluate(p, record))
  const d = compare(record[expr.field], expr.value)
  switch (expr.op) {
    case '=':
      return d === 0
    case '!=':
      return d !== 0
    case '<':
      return d < 0
    case '<=':
      return d <= 0
    case '>':
      return d > 0
    default:
      return d >= 0
  }
}

/** Date-times compare as instants (`…+0000` and `…Z` alike), the rest as text or numbers. */
function compare(a: unknown, b: unknown): number {
  const instant = (v: unknown) =>
    typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)
      ? Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
      : undefined
  const x = instant(a)
  const y = instant(b)
  if (x !== undefined && y !== undefined) return x - y
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const s = String(a ?? '')
  const t = String(b ?? '')
  return s < t ? -1 : s > t ? 1 : 0
}
