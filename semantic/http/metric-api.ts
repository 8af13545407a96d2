import { z } from 'zod'
import type { Engine } from '../../core/engines/engine.js'
import { UserError } from '../../core/errors.js'
import { answerMetricQuery, type BuildInfo } from '../answer.js'
import type { Catalog } from '../catalog.js'
import { MetricQuery, parseFilter } from '../spec/query.js'

/** A transport-neutral HTTP request: the CLI's node:http server and the Lambda function URL both map to it. */
export interface ApiRequest {
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, string | undefined>>
  readonly body?: string
}

export interface ApiResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

export interface MetricApiContext {
  readonly catalog: Catalog
  /** Opens (or reuses) the engine for one request. */
  readonly engine: () => Promise<Engine>
  readonly environment?: string
  /** The deployment's schema prefix (`revops_` for the Glue databases on AWS). */
  readonly schemaPrefix?: string
  readonly build?: () => BuildInfo | undefined
}

const CsvList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .optional()

/** `GET /query?metrics=mrr,nrr&by=segment&grain=quarter&from=…&to=…&where=segment%20%3D%20smb` */
const QueryParams = z.object({
  metrics: CsvList,
  by: CsvList,
  grain: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  where: z.string().optional(),
  limit: z.coerce.number().optional(),
  provenance: z.enum(['true', 'false']).optional(),
})

/**
 * The metric API. `GET /metrics` lists the catalog; `GET /metrics/<id>` shows one definition;
 * `POST /query` takes a JSON metric query and `GET /query` the same as URL parameters; both
 * answer with CONTRACT.md's JSON shape plus provenance. Mistakes are 400s naming the problem.
 */
export async function handleMetricApi(request: ApiRequest, context: MetricApiContext): Promise<ApiResponse> {
  try {
    const path = request.path.replace(/\/+$/, '') || '/'
    if (path === '/health') return json(200, { ok: true })
    if (path === '/metrics')
      return only(request, 'GET') ?? json(200, { metrics: context.catalog.metrics.map(summary) })
    if (path.startsWith('/metrics/')) {
      const refused = only(request, 'GET')
      if (refused) return refused
      const id = decodeURIComponent(path.slice('/metrics/'.length))
      const metric = context.catalog.metric(id)
      if (!metric) return json(404, { error: `unknown metric ${id}` })
      return json(200, { ...metric, dimensions: context.catalog.commonDimensions(id) })
    }
    if (path === '/query') {
      if (request.method !== 'GET' && request.method !== 'POST')
        return json(405, { error: 'use GET or POST' }, { allow: 'GET, POST' })
      const input = request.method === 'POST' ? parseBody(request.body) : fromParams(request.query)
      const provenance =
        request.method === 'POST' ? wantsProvenance(request.body) : request.query.provenance === 'true'
      const answer = await answerMetricQuery(validQuery(input), {
        engine: await context.engine(),
        catalog: context.catalog,
        ...(context.environment ? { environment: context.environment } : {}),
        ...(context.schemaPrefix ? { schemaPrefix: context.schemaPrefix } : {}),
        ...(context.build?.() ? { build: context.build() as BuildInfo } : {}),
      })
      return json(200, {
        metrics: answer.metrics,
        grain: answer.grain,
        rows: answer.rows,
        ...(provenance ? { provenance: answer.provenance } : {}),
      })
    }
    return json(404, { error: `no route ${request.method} ${request.path}` })
  } catch (error) {
    if (error instanceof UserError)
      return json(400, { error: error.message, ...(error.hint ? { hint: error.hint } : {}) })
    return json(500, { error: 'internal error' })
  }
}

function summary(m: Catalog['metrics'][number]) {
  return {
    id: m.id,
    label: m.label,
    owner: m.owner,
    unit: m.unit,
    status: m.status,
    version: m.version,
    description: m.description,
  }
}

function parseBody(body: string | undefined): unknown {
  let parsed: unknown
  try {
    parsed = JSON.parse(body ?? '')
  } catch {
    throw new UserError('the request body must be a JSON metric query')
  }
  if (typeof parsed !== 'object' || parsed === null)
    throw new UserError('the request body must be a JSON metric query')
  const { provenance: _provenance, ...query } = parsed as Record<string, unknown>
  return query
}

/** Validates a query from either transport, naming the first bad field. */
function validQuery(input: unknown): MetricQuery {
  const parsed = MetricQuery.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new UserError(`invalid query: ${issue?.path.join('.') || 'query'}: ${issue?.message}`)
  }
  return parsed.data
}

function wantsProvenance(body: string | undefined): boolean {
  try {
    return (JSON.parse(body ?? '{}') as { provenance?: unknown }).provenance === true
  } catch {
    return false
  }
}

function fromParams(query: ApiRequest['query']): unknown {
  const parsed = QueryParams.safeParse(query)
  if (!parsed.success) throw new UserError(`invalid query parameters: ${parsed.error.issues[0]?.message}`)
  const p = parsed.data
  if (!p.metrics?.length) throw new UserError('name at least one metric: ?metrics=mrr,nrr')
  let filters: ReturnType<typeof parseFilter>[] = []
  try {
    filters = (p.where ?? '')
      .split(';')
      .map((w) => w.trim())
      .filter(Boolean)
      .map(parseFilter)
  } catch (error) {
    throw new UserError((error as Error).message)
  }
  return {
    metrics: p.metrics,
    dimensions: p.by ?? [],
    ...(p.grain ? { grain: p.grain } : {}),
    ...(p.from ? { from: p.from } : {}),
    ...(p.to ? { to: p.to } : {}),
    ...(p.limit ? { limit: p.limit } : {}),
    filters,
  }
}

function only(request: ApiRequest, method: string): ApiResponse | undefined {
  return request.method === method ? undefined : json(405, { error: `use ${method}` }, { allow: method })
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)),
  }
}
