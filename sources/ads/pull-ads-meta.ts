import { z } from 'zod'
import type { RetryVerdict } from '../landing/pull-retry.js'
import type { PullRun } from '../landing/pull-run.js'
import { HttpStatusError, ReportClient } from './ads-report-client.js'
import type { AdsPlatform, AdsPullEnv } from './pull-ads.js'

const InsightsAnswer = z.looseObject({
  data: z.array(
    z.looseObject({
      date_start: z.string(),
      campaign_id: z.string(),
      spend: z.union([z.string(), z.number()]).optional(),
    }),
  ),
  paging: z
    .looseObject({
      cursors: z.looseObject({ after: z.string().optional() }).optional(),
      next: z.string().optional(),
    })
    .optional(),
})

const FIELDS = [
  'date_start',
  'date_stop',
  'campaign_id',
  'campaign_name',
  'spend',
  'impressions',
  'clicks',
  'account_currency',
]

/** Graph API error codes that mean "throttled, try later" (application, user, ad account and insights limits). */
const THROTTLED = new Set([4, 17, 32, 613, 80000, 80003, 80004, 80014])

/**
 * Meta: the ad account's campaign insights of one day (`/act_{id}/insights`, `level=campaign`,
 * `time_increment=1`), paged by the `after` cursor. Rows already have the columns of a Meta ads
 * export (`date_start`, `campaign_id`, `spend`, `account_currency`, …) and land as returned.
 */
export function metaAds(run: PullRun, env: AdsPullEnv): AdsPlatform | null {
  const account = env.META_AD_ACCOUNT_ID?.replace(/^act_/, '')
  if (account === undefined || env.META_ACCESS_TOKEN === undefined) return null
  const client = new ReportClient(run, { tokenSetting: 'META_ACCESS_TOKEN', verdict: metaVerdict })
  return {
    entity: 'meta_ads',
    async day(date) {
      const rows: Record<string, unknown>[] = []
      let after: string | undefined
      for (;;) {
        const params = new URLSearchParams({
          level: 'campaign',
          time_increment: '1',
          time_range: JSON.stringify({ since: date, until: date }),
          fields: FIELDS.join(','),
          limit: '500',
          ...(after ? { after } : {}),
        })
        const url = `${env.META_API_BASE_URL}/${env.META_API_VERSION}/act_${account}/insights?${params}`
        const headers = { authorization: `Bearer ${env.META_ACCESS_TOKEN}` }
        const answer = await client.json(
          `GET act_${account}/insights ${date}`,
          url,
          { headers },
          InsightsAnswer,
        )
        rows.push(...answer.data)
        after = answer.paging?.next ? answer.paging.cursors?.after : undefined
        if (after === undefined) return rows
      }
    },
  }
}

/**
 * Meta throttles with HTTP 400/403 (or 429) and an error code; its business-use-case header says
 * how many minutes until access returns.
 */
export function metaVerdict(error: unknown): RetryVerdict | undefined {
  if (!(error instanceof HttpStatusError)) return undefined
  const body = z
    .looseObject({
      error: z.looseObject({ code: z.number().optional(), is_transient: z.boolean().optional() }),
    })
    .safeParse(error.body)
  const code = body.success ? body.data.error.code : undefined
  if (
    error.status !== 429 &&
    !(code !== undefined && THROTTLED.has(code)) &&
    !(body.success && body.data.error.is_transient)
  ) {
    return undefined
  }
  const waitMs = regainAccessMs(error.headers.get('x-business-use-case-usage'))
  return {
    retry: true,
    rateLimited: true,
    reason: `HTTP ${error.status}${code ? ` code ${code}` : ''}`,
    ...(waitMs ? { waitMs } : {}),
  }
}

/** The longest `estimated_time_to_regain_access` (minutes) in Meta's usage header, in milliseconds. */
function regainAccessMs(header: string | null): number | undefined {
  if (header === null) return undefined
  try {
    const usage = z
      .record(z.string(), z.array(z.looseObject({ estimated_time_to_regain_access: z.number().optional() })))
      .parse(JSON.parse(header))
    const minutes = Math.max(
      0,
      ...Object.values(usage)
        .flat()
        .map((u) => u.estimated_time_to_regain_access ?? 0),
    )
    return minutes > 0 ? minutes * 60_000 : undefined
  } catch {
    return undefined
  }
}
