import { z } from 'zod'
import type { PullRun } from '../landing/pull-run.js'
import { ReportClient } from './ads-report-client.js'
import type { AdsPlatform, AdsPullEnv } from './pull-ads.js'

const Money = z.union([z.string(), z.number()])

/** One row of a `googleAds:search` answer (REST JSON: int64 as text, zero metrics left out). */
const SearchAnswer = z.looseObject({
  results: z
    .array(
      z.looseObject({
        segments: z.looseObject({ date: z.string() }),
        campaign: z.looseObject({ id: z.union([z.string(), z.number()]), name: z.string().optional() }),
        metrics: z
          .looseObject({
            costMicros: Money.optional(),
            impressions: Money.optional(),
            clicks: Money.optional(),
          })
          .optional(),
        customer: z.looseObject({ currencyCode: z.string() }),
      }),
    )
    .optional(),
  nextPageToken: z.string().optional(),
})

const TokenAnswer = z.looseObject({ access_token: z.string().min(1) })

/**
 * Google Ads: the campaign report of one day through `customers/{id}/googleAds:search` (GAQL,
 * paged by `nextPageToken`), each row flattened to the columns of a Google Ads report export
 * (`segments.date`, `campaign.id`, …, `metrics.cost_micros`), so pulls and file drops land one
 * shape. An access token comes from env, or from the OAuth refresh token once per run.
 */
export function googleAds(run: PullRun, env: AdsPullEnv): AdsPlatform | null {
  const customer = env.GOOGLE_ADS_CUSTOMER_ID?.replace(/-/g, '')
  if (customer === undefined || env.GOOGLE_ADS_DEVELOPER_TOKEN === undefined) return null
  const client = new ReportClient(run, {
    tokenSetting: 'GOOGLE_ADS_ACCESS_TOKEN (or GOOGLE_ADS_REFRESH_TOKEN)',
  })
  let token = env.GOOGLE_ADS_ACCESS_TOKEN
  const accessToken = async (): Promise<string> => {
    if (token !== undefined) return token
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: env.GOOGLE_ADS_REFRESH_TOKEN ?? '',
      client_id: env.GOOGLE_ADS_CLIENT_ID ?? '',
      client_secret: env.GOOGLE_ADS_CLIENT_SECRET ?? '',
    })
    const answer = await client.json(
      'POST Google OAuth token',
      env.GOOGLE_OAUTH_TOKEN_URL,
      { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      TokenAnswer,
    )
    token = answer.access_token
    return token
  }
  return {
    entity: 'google_ads',
    async day(date) {
      const query = `SELECT segments.date, campaign.id, campaign.name, metrics.cost_micros, metrics.impressions, metrics.clicks, customer.currency_code FROM campaign WHERE segments.date = '${date}'`
      const rows: Record<string, unknown>[] = []
      let pageToken: string | undefined
      do {
        const headers = {
          authorization: `Bearer ${await accessToken()}`,
          'developer-token': env.GOOGLE_ADS_DEVELOPER_TOKEN ?? '',
          'content-type': 'application/json',
          ...(env.GOOGLE_ADS_LOGIN_CUSTOMER_ID
            ? { 'login-customer-id': env.GOOGLE_ADS_LOGIN_CUSTOMER_ID.replace(/-/g, '') }
            : {}),
        }
        const answer = await client.json(
          `POST googleAds:search ${date}`,
          `${env.GOOGLE_ADS_API_BASE_URL}/${env.GOOGLE_ADS_API_VERSION}/customers/${customer}/googleAds:search`,
          { method: 'POST', headers, body: JSON.stringify({ query, ...(pageToken ? { pageToken } : {}) }) },
          SearchAnswer,
        )
        for (const r of answer.results ?? []) {
          rows.push({
            'segments.date': r.segments.date,
            'campaign.id': String(r.campaign.id),
            'campaign.name': r.campaign.name ?? null,
            'metrics.cost_micros': String(r.metrics?.costMicros ?? '0'),
            'metrics.impressions': String(r.metrics?.impressions ?? '0'),
            'metrics.clicks': String(r.metrics?.clicks ?? '0'),
            'customer.currency_code': r.customer.currencyCode,
          })
        }
        pageToken = answer.nextPageToken || undefined
      } while (pageToken !== undefined)
      return rows
    },
  }
}
