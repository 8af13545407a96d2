import { Connection } from 'jsforce'
import { z } from 'zod'
import { isoDateTime } from '../fields.js'
import { loadPullEnv, optionalBaseUrl, optionalText } from '../landing/pull-credentials.js'
import type { Json, PulledPage, PullFeed } from '../landing/pull-feed.js'
import { type RetryVerdict, VendorCallError } from '../landing/pull-retry.js'
import type { PullRun } from '../landing/pull-run.js'
import type { SourcePull } from '../landing/pull-source.js'
import type { PullWindow } from '../landing/pull-state.js'

/** Settings of a Salesforce pull (env, or the secret named by REVOPS_SECRET_ARN). */
export const SalesforcePullEnv = z
  .object({
    /** The org's My Domain URL, e.g. https://acme.my.salesforce.com. */
    SALESFORCE_INSTANCE_URL: optionalBaseUrl().pipe(z.string({ error: 'is not set' })),
    /** A session or OAuth access token (short-lived; prefer a refresh token for schedules). */
    SALESFORCE_ACCESS_TOKEN: optionalText(),
    /** A connected app's refresh token, with its client id (and secret); jsforce refreshes on 401. */
    SALESFORCE_REFRESH_TOKEN: optionalText(),
    SALESFORCE_CLIENT_ID: optionalText(),
    SALESFORCE_CLIENT_SECRET: optionalText(),
    SALESFORCE_LOGIN_URL: optionalBaseUrl().default('https://login.salesforce.com'),
    SALESFORCE_API_VERSION: z
      .string()
      .regex(/^\d{2}\.0$/, 'expected an API version like 62.0')
      .default('62.0'),
    /** Stop (and fail) once the org's daily API usage reaches this share of its allowance. */
    SALESFORCE_API_BUDGET: z.coerce.number().gt(0).max(1).default(0.8),
  })
  .refine((e) => e.SALESFORCE_ACCESS_TOKEN || (e.SALESFORCE_REFRESH_TOKEN && e.SALESFORCE_CLIENT_ID), {
    path: ['SALESFORCE_ACCESS_TOKEN'],
    error: 'set SALESFORCE_ACCESS_TOKEN, or SALESFORCE_REFRESH_TOKEN with SALESFORCE_CLIENT_ID',
  })
export type SalesforcePullEnv = z.infer<typeof SalesforcePullEnv>

/**
 * The official client. jsforce retries 429, 5xx and dropped connections itself (five times,
 * backing off from half a second), so the pull does not retry its calls again; with a refresh
 * token it renews the session on 401.
 */
export function salesforceConnection(env: SalesforcePullEnv): Connection {
  return new Connection({
    instanceUrl: env.SALESFORCE_INSTANCE_URL,
    version: env.SALESFORCE_API_VERSION,
    ...(env.SALESFORCE_ACCESS_TOKEN ? { accessToken: env.SALESFORCE_ACCESS_TOKEN } : {}),
    ...(env.SALESFORCE_REFRESH_TOKEN && env.SALESFORCE_CLIENT_ID
      ? {
          refreshToken: env.SALESFORCE_REFRESH_TOKEN,
          oauth2: {
            clientId: env.SALESFORCE_CLIENT_ID,
            ...(env.SALESFORCE_CLIENT_SECRET ? { clientSecret: env.SALESFORCE_CLIENT_SECRET } : {}),
            loginUrl: env.SALESFORCE_LOGIN_URL,
          },
        }
      : {}),
  })
}

interface SObjectSpec {
  readonly apiName: string
  readonly entity: string
  /** SystemModstamp (indexed, bumped by system changes too); history rows only have CreatedDate. */
  readonly cursor: 'SystemModstamp' | 'CreatedDate'
}

/** The objects of CONTRACT.md, parents first. */
export const SALESFORCE_OBJECTS: readonly SObjectSpec[] = [
  { apiName: 'User', entity: 'user', cursor: 'SystemModstamp' },
  { apiName: 'Account', entity: 'account', cursor: 'SystemModstamp' },
  { apiName: 'Contact', entity: 'contact', cursor: 'SystemModstamp' },
  { apiName: 'Lead', entity: 'lead', cursor: 'SystemModstamp' },
  { apiName: 'Campaign', entity: 'campaign', cursor: 'SystemModstamp' },
  { apiName: 'CampaignMember', entity: 'campaign_member', cursor: 'SystemModstamp' },
  { apiName: 'Opportunity', entity: 'opportunity', cursor: 'SystemModstamp' },
  { apiName: 'OpportunityHistory', entity: 'opportunity_history', cursor: 'SystemModstamp' },
  { apiName: 'OpportunityFieldHistory', entity: 'opportunity_field_history', cursor: 'CreatedDate' },
]

/** Field types a multi-row SOQL query cannot or need not select (compound fields repeat their parts). */
const SKIPPED_TYPES = new Set(['address', 'location', 'base64'])

const Describe = z.looseObject({
  fields: z.array(z.looseObject({ name: z.string().min(1), type: z.string() })),
})
const QueryResult = z.looseObject({
  records: z.array(z.looseObject({ Id: z.string().min(1) })),
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
})
const Resume = z.object({ at: z.string().min(1), id: z.string().min(1) })

/** `revops pull salesforce` and the Salesforce Lambda. */
export const salesforceSourcePull: SourcePull = {
  source: 'salesforce',
  async pull(run, env, options) {
    const config = await loadPullEnv(SalesforcePullEnv, env, {
      source: 'salesforce',
      ...(options.secrets ? { secrets: options.secrets } : {}),
    })
    await pullSalesforce(run, salesforceConnection(config), config, { fullRefresh: options.fullRefresh })
  },
}

/**
 * Salesforce: each object by SOQL `queryAll` (deleted and merged rows included, with IsDeleted) on
 * `SystemModstamp` within the window, ordered by it and Id, following `nextRecordsUrl` with
 * queryMore. Every field the org describes is selected. A stopped run resumes from the last
 * landed (SystemModstamp, Id) with a new query, since query locators expire.
 */
export async function pullSalesforce(
  run: PullRun,
  conn: Connection,
  env: Pick<SalesforcePullEnv, 'SALESFORCE_API_BUDGET'>,
  options: { fullRefresh?: boolean } = {},
): Promise<void> {
  for (const spec of SALESFORCE_OBJECTS) {
    const feed = objectFeed(run, conn, spec, env.SALESFORCE_API_BUDGET)
    const status = await run.feed({ ...feed, fromBeginning: options.fullRefresh === true })
    if (status !== 'complete' && status !== 'up_to_date') return
  }
}

function objectFeed(run: PullRun, conn: Connection, spec: SObjectSpec, budget: number): PullFeed {
  const call = async <T>(what: string, fn: () => PromiseLike<T>): Promise<T> => {
    const result = await run.retrier.call(what, fn, salesforceVerdict)
    const usage = conn.limitInfo?.apiUsage
    if (usage && usage.limit > 0 && usage.used / usage.limit >= budget) {
      throw new VendorCallError(
        `Salesforce API usage is at ${usage.used} of ${usage.limit} daily requests, past the pull's budget of ${Math.round(budget * 100)}%`,
        {
          hint: 'the pull continues from its watermark when the allowance renews, or raise SALESFORCE_API_BUDGET',
        },
      )
    }
    return result
  }
  return {
    name: spec.entity,
    entities: [spec.entity],
    // SOQL date-times have whole seconds: a window ends on one.
    windowTo: (now) => new Date(Math.floor((now.getTime() - run.settings.lagMs) / 1000) * 1000),
    async *pages(window: PullWindow, resume: Json | null): AsyncGenerator<PulledPage> {
      const describe = Describe.parse(
        await call(`describe ${spec.apiName}`, () => conn.describe(spec.apiName)),
      )
      const fields = describe.fields.filter((f) => !SKIPPED_TYPES.has(f.type)).map((f) => f.name)
      const after = resume === null ? null : Resume.parse(resume)
      const soql = query(spec, fields, window, after)
      let result = QueryResult.parse(
        await call(`queryAll ${spec.apiName}`, () => conn.query(soql, { scanAll: true, autoFetch: false })),
      )
      for (;;) {
        const records = result.records.map((record) => {
          const at = record[spec.cursor]
          return {
            entity: spec.entity,
            value: record,
            position: typeof at === 'string' ? (isoDateTime(at) ?? null) : null,
          }
        })
        const last = result.records.at(-1)
        const lastAt = last?.[spec.cursor]
        const more = !result.done && result.nextRecordsUrl !== undefined
        if (more && (last === undefined || typeof lastAt !== 'string')) {
          throw new VendorCallError(`queryAll ${spec.apiName}: a batch ended without ${spec.cursor}`)
        }
        const next = more ? { at: soqlDateTime(lastAt as string), id: (last as { Id: string }).Id } : null
        yield { records, next }
        if (next === null || result.nextRecordsUrl === undefined) return
        const locator = result.nextRecordsUrl
        result = QueryResult.parse(await call(`queryMore ${spec.apiName}`, () => conn.queryMore(locator)))
      }
    },
  }
}

/** The window's SOQL: `(from, to]` on the cursor field (from inclusive: the overlap), after the resume key. */
export function query(
  spec: SObjectSpec,
  fields: readonly string[],
  window: PullWindow,
  after: z.infer<typeof Resume> | null,
): string {
  const c = spec.cursor
  const where = [`${c} <= ${soqlDateTime(window.to)}`]
  if (window.from !== null) where.push(`${c} >= ${soqlDateTime(window.from)}`)
  if (after !== null)
    where.push(
      `(${c} > ${after.at} OR (${c} = ${after.at} AND Id > '${after.id.replace(/[^A-Za-z0-9]/g, '')}'))`,
    )
  const select = fields.includes('Id') ? fields : ['Id', ...fields]
  return `SELECT ${select.join(', ')} FROM ${spec.apiName} WHERE ${where.join(' AND ')} ORDER BY ${c} ASC, Id ASC`
}

/** A SOQL date-time literal (UTC, whole seconds: `2025-06-01T12:00:00Z`). */
function soqlDateTime(value: string): string {
  const iso = isoDateTime(value)
  if (iso === undefined) throw new VendorCallError(`not a Salesforce date-time: ${JSON.stringify(value)}`)
  return `${iso.slice(0, 19)}Z`
}

/**
 * What still fails after jsforce's own retries stops the run; the daily request limit and an
 * invalid session say what to do.
 */
export function salesforceVerdict(error: unknown): RetryVerdict {
  const code =
    (error as { errorCode?: unknown } | null)?.errorCode ?? (error as { name?: unknown } | null)?.name
  const reason = typeof code === 'string' ? code : 'error'
  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    return {
      retry: false,
      reason,
      hint: "the org's daily API requests are used up; the next run continues from the watermark",
    }
  }
  if (code === 'INVALID_SESSION_ID' || code === 'invalid_grant') {
    return {
      retry: false,
      reason,
      hint: 'check SALESFORCE_ACCESS_TOKEN or the refresh token and its connected app',
    }
  }
  return { retry: false, reason }
}
