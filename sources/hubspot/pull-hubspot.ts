import { Client } from '@hubspot/api-client'
import { FilterOperatorEnum as Op } from '@hubspot/api-client/lib/codegen/crm/objects/index.js'
import { z } from 'zod'
import { loadPullEnv, optionalBaseUrl } from '../landing/pull-credentials.js'
import type { Json, PulledPage, PulledRecord, PullFeed } from '../landing/pull-feed.js'
import { httpVerdict, isNetworkError, type RetryVerdict, retryAfterMs } from '../landing/pull-retry.js'
import type { PullRun } from '../landing/pull-run.js'
import type { SourcePull } from '../landing/pull-source.js'
import type { PullWindow } from '../landing/pull-state.js'

/** Settings of a HubSpot pull (env, or the secret named by REVOPS_SECRET_ARN). */
export const HubSpotPullEnv = z.object({
  /** A private app's access token with the crm.objects.*.read and crm.schemas.*.read scopes. */
  HUBSPOT_ACCESS_TOKEN: z.string().min(1),
  /** Another API host (a proxy, a test server). */
  HUBSPOT_API_BASE_URL: optionalBaseUrl(),
  /** Requests per second the pull allows itself; CRM search allows 5 per second per account. */
  HUBSPOT_REQUESTS_PER_SECOND: z.coerce.number().positive().max(1000).default(4),
})
export type HubSpotPullEnv = z.infer<typeof HubSpotPullEnv>

/**
 * The official client, its requests paced by its own limiter (Bottleneck) below the search rate
 * limit; its retry decorator stays off, so 429s and 5xx go through the pull's retry policy, which
 * also honours Retry-After and the run's deadline.
 */
export function hubspotClient(env: HubSpotPullEnv): Client {
  return new Client({
    accessToken: env.HUBSPOT_ACCESS_TOKEN,
    ...(env.HUBSPOT_API_BASE_URL ? { basePath: env.HUBSPOT_API_BASE_URL } : {}),
    limiterOptions: { minTime: Math.ceil(1000 / env.HUBSPOT_REQUESTS_PER_SECOND), maxConcurrent: 1 },
  })
}

interface CrmObjectSpec {
  readonly entity: string
  readonly objectType: string
  /** The last-modified property search can filter and sort on (contacts name it differently). */
  readonly modified: string
}

const OBJECTS: readonly CrmObjectSpec[] = [
  { entity: 'companies', objectType: 'companies', modified: 'hs_lastmodifieddate' },
  { entity: 'contacts', objectType: 'contacts', modified: 'lastmodifieddate' },
  { entity: 'deals', objectType: 'deals', modified: 'hs_lastmodifieddate' },
]

/** HubSpot's most results per search page. */
const SEARCH_LIMIT = 200
const LIST_LIMIT = 100

const Resume = z.discriminatedUnion('phase', [
  /** Searching by last-modified from `from` (ms), skipping ids at exactly `from` that already landed. */
  z.object({
    phase: z.literal('search'),
    from: z.number(),
    inclusive: z.boolean(),
    skip: z.array(z.string()),
  }),
  /** More records share the timestamp `at` than a page holds: walking them by id. */
  z.object({ phase: z.literal('ties'), at: z.number(), after_id: z.string(), skip: z.array(z.string()) }),
  /** Listing archived (deleted) records. */
  z.object({ phase: z.literal('archived'), after: z.string().nullable() }),
])
type Resume = z.infer<typeof Resume>

const CrmObject = z.looseObject({
  id: z.string().min(1),
  properties: z.record(z.string(), z.unknown()),
  updatedAt: z.date().optional(),
  archivedAt: z.date().optional(),
})
const SearchPage = z.looseObject({ results: z.array(CrmObject) })
const ListPage = z.looseObject({
  results: z.array(CrmObject),
  paging: z.looseObject({ next: z.looseObject({ after: z.string() }).optional() }).optional(),
})
const PropertyList = z.looseObject({ results: z.array(z.looseObject({ name: z.string().min(1) })) })
const PipelineList = z.looseObject({
  results: z.array(z.looseObject({ id: z.string(), updatedAt: z.date().optional() })),
})

/** `revops pull hubspot` and the HubSpot Lambda. */
export const hubspotSourcePull: SourcePull = {
  source: 'hubspot',
  async pull(run, env, options) {
    const config = await loadPullEnv(HubSpotPullEnv, env, {
      source: 'hubspot',
      ...(options.secrets ? { secrets: options.secrets } : {}),
    })
    await pullHubSpot(run, hubspotClient(config), { fullRefresh: options.fullRefresh })
  },
}

/**
 * HubSpot: companies, contacts and deals by CRM search on their last-modified property, ascending.
 * Each page is a new search that starts at the last timestamp seen (skipping the ids already
 * landed at it), so a search never pages deep: the 10,000-results cap of a search is never
 * reached, and a record modified during the pull leaves the window instead of shifting an offset
 * and hiding another record. When more records share one timestamp than a page holds (an import),
 * they are walked by `hs_object_id` for that timestamp. Then the archived (deleted) records,
 * through the list endpoint with `archived=true`, land as deletions at their archive time. Deal
 * pipelines are listed whole each run.
 */
export async function pullHubSpot(
  run: PullRun,
  client: Client,
  options: { fullRefresh?: boolean } = {},
): Promise<void> {
  for (const spec of OBJECTS) {
    const status = await run.feed(objectFeed(run, client, spec, options.fullRefresh === true))
    if (status !== 'complete' && status !== 'up_to_date') return
  }
  await run.feed(pipelineFeed(run, client))
}

function objectFeed(run: PullRun, client: Client, spec: CrmObjectSpec, fromBeginning: boolean): PullFeed {
  return {
    name: spec.entity,
    entities: [spec.entity],
    fromBeginning,
    async *pages(window: PullWindow, resume: Json | null): AsyncGenerator<PulledPage> {
      const toMs = Date.parse(window.to)
      const fromMs = window.from === null ? 0 : Date.parse(window.from)
      let state: Resume =
        resume === null ? { phase: 'search', from: fromMs, inclusive: true, skip: [] } : Resume.parse(resume)
      let properties: string[] | undefined
      const search = async (
        filters: { propertyName: string; operator: Op; value: string }[],
        sort: string,
      ) => {
        properties ??= await propertyNames(run, client, spec.objectType)
        const request = {
          filterGroups: [{ filters }],
          // The SDK's TypeScript form of an ascending sort: the property name.
          sorts: [sort],
          properties,
          limit: SEARCH_LIMIT,
        }
        const page = await run.retrier.call(
          `POST /crm/v3/objects/${spec.objectType}/search`,
          () => client.crm.objects.searchApi.doSearch(spec.objectType, request),
          hubspotVerdict,
        )
        return parse(SearchPage, page, `${spec.objectType} search`).results.map((r, i) => ({
          record: r,
          value: (page.results[i] ?? r) as unknown,
          at: modifiedAt(r, spec.modified),
        }))
      }
      for (;;) {
        if (state.phase === 'search') {
          const current = state
          const rows = await search(
            [
              {
                propertyName: spec.modified,
                operator: current.inclusive ? Op.Gte : Op.Gt,
                value: String(current.from),
              },
              { propertyName: spec.modified, operator: Op.Lte, value: String(toMs) },
            ],
            spec.modified,
          )
          const skip = new Set(current.skip)
          const records = rows.filter((r) => !skip.has(r.record.id)).map((r) => live(spec, r.value, r.at))
          const last = rows.at(-1)
          let next: Resume
          if (rows.length < SEARCH_LIMIT || last === undefined) {
            next = { phase: 'archived', after: null }
          } else if (current.inclusive && last.at === current.from) {
            // A whole page at one timestamp: the timestamp alone cannot move the search on.
            next = { phase: 'ties', at: current.from, after_id: '0', skip: current.skip }
          } else {
            const atLast = rows.filter((r) => r.at === last.at).map((r) => r.record.id)
            next = {
              phase: 'search',
              from: last.at,
              inclusive: true,
              skip: last.at === current.from ? [...current.skip, ...atLast] : atLast,
            }
          }
          yield { records, next }
          state = next
        } else if (state.phase === 'ties') {
          const current = state
          const rows = await search(
            [
              { propertyName: spec.modified, operator: Op.Eq, value: String(current.at) },
              { propertyName: 'hs_object_id', operator: Op.Gt, value: current.after_id },
            ],
            'hs_object_id',
          )
          const skip = new Set(current.skip)
          const records = rows.filter((r) => !skip.has(r.record.id)).map((r) => live(spec, r.value, r.at))
          const last = rows.at(-1)
          const next: Resume =
            rows.length < SEARCH_LIMIT || last === undefined
              ? { phase: 'search', from: current.at, inclusive: false, skip: [] }
              : { ...current, after_id: last.record.id }
          yield { records, next }
          state = next
        } else {
          const current = state
          const page = await run.retrier.call(
            `GET /crm/v3/objects/${spec.objectType}?archived=true`,
            () =>
              client.crm.objects.basicApi.getPage(
                spec.objectType,
                LIST_LIMIT,
                current.after ?? undefined,
                undefined,
                undefined,
                undefined,
                true,
              ),
            hubspotVerdict,
          )
          const parsed = parse(ListPage, page, `archived ${spec.objectType}`)
          const records: PulledRecord[] = []
          parsed.results.forEach((r, i) => {
            const archivedAt = (r.archivedAt ?? r.updatedAt)?.getTime()
            // The list has every archived record; those archived before the window landed earlier.
            if (archivedAt === undefined || (window.from !== null && archivedAt < fromMs)) return
            const at = new Date(archivedAt).toISOString()
            records.push({ entity: spec.entity, value: page.results[i] ?? r, position: at, cursor: at })
          })
          const after = parsed.paging?.next?.after
          const next: Resume | null = after === undefined ? null : { phase: 'archived', after }
          yield { records, next }
          if (next === null) return
          state = next
        }
      }
    },
  }
}

function pipelineFeed(run: PullRun, client: Client): PullFeed {
  return {
    name: 'deal_pipelines',
    entities: ['deal_pipelines'],
    async *pages(): AsyncGenerator<PulledPage> {
      const pipelines = await run.retrier.call(
        'GET /crm/v3/pipelines/deals',
        () => client.crm.pipelines.pipelinesApi.getAll('deals'),
        hubspotVerdict,
      )
      const parsed = parse(PipelineList, pipelines, 'deal pipelines')
      const records = parsed.results.map((p, i) => ({
        entity: 'deal_pipelines',
        value: pipelines.results[i] ?? p,
        position: p.updatedAt?.toISOString() ?? null,
      }))
      yield { records, next: null }
    },
  }
}

function live(spec: CrmObjectSpec, value: unknown, at: number): PulledRecord {
  return { entity: spec.entity, value, position: new Date(at).toISOString() }
}

/** Every property of the object type, so a search returns whole records (by default it returns a few). */
async function propertyNames(run: PullRun, client: Client, objectType: string): Promise<string[]> {
  const list = await run.retrier.call(
    `GET /crm/v3/properties/${objectType}`,
    () => client.crm.properties.coreApi.getAll(objectType),
    hubspotVerdict,
  )
  return parse(PropertyList, list, `${objectType} properties`).results.map((p) => p.name)
}

/** The last-modified property in milliseconds (HubSpot gives ISO text or epoch milliseconds), else updatedAt. */
function modifiedAt(record: z.infer<typeof CrmObject>, property: string): number {
  const value = record.properties[property]
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value)
  const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN
  if (!Number.isNaN(parsed)) return parsed
  return record.updatedAt?.getTime() ?? 0
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`HubSpot ${what}: unexpected response at ${issue?.path.join('.')}: ${issue?.message}`)
  }
  return parsed.data
}

/** HubSpot's errors: 429 (Retry-After, else ten seconds for the rolling ten-second policy) and 5xx are retried. */
export function hubspotVerdict(error: unknown): RetryVerdict {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'number') {
    const headers = ((error as { headers?: unknown }).headers ?? {}) as Record<string, unknown>
    const body = ((error as { body?: unknown }).body ?? {}) as Record<string, unknown>
    const category = typeof body.category === 'string' ? ` ${body.category}` : ''
    if (code === 429) {
      const waitMs =
        retryAfterMs(headers['retry-after']) ??
        (body.policyName === 'TEN_SECONDLY_ROLLING' ? 10_000 : undefined)
      return { retry: true, rateLimited: true, reason: `HTTP 429${category}`, ...(waitMs ? { waitMs } : {}) }
    }
    const verdict = httpVerdict(code, headers['retry-after'])
    return {
      ...verdict,
      reason: `${verdict.reason}${category}`,
      ...(code === 401 || code === 403
        ? { hint: "check HUBSPOT_ACCESS_TOKEN and the private app's CRM read scopes" }
        : {}),
    }
  }
  if (isNetworkError(error)) return { retry: true, reason: 'connection error' }
  return { retry: false, reason: 'error' }
}
