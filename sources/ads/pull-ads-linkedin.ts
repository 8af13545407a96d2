import { z } from 'zod'
import type { PullRun } from '../landing/pull-run.js'
import { ReportClient } from './ads-report-client.js'
import type { AdsPlatform, AdsPullEnv } from './pull-ads.js'

const DateParts = z.object({ year: z.number(), month: z.number(), day: z.number() })
const AnalyticsAnswer = z.looseObject({
  elements: z.array(
    z.looseObject({
      dateRange: z.looseObject({ start: DateParts }),
      pivotValues: z.array(z.string()).min(1),
      costInLocalCurrency: z.union([z.string(), z.number()]).optional(),
      impressions: z.number().optional(),
      clicks: z.number().optional(),
    }),
  ),
})
const Account = z.looseObject({ currency: z.string().min(3) })
const Groups = z.looseObject({
  elements: z.array(z.looseObject({ id: z.union([z.number(), z.string()]), name: z.string().optional() })),
  metadata: z.looseObject({ nextPageToken: z.string().optional() }).optional(),
})

/**
 * LinkedIn: the ad account's analytics of one day pivoted by campaign group (`/rest/adAnalytics`,
 * `q=analytics`, daily), with the account currency and group names looked up once per run; rows
 * take the columns of a LinkedIn campaign-group export (`start_date`, `campaign_group_id`,
 * `cost_in_local_currency`, …). Rest.li parameters are written by hand: their parentheses and
 * colons are syntax, only the URNs inside are encoded.
 */
export function linkedInAds(run: PullRun, env: AdsPullEnv): AdsPlatform | null {
  const account = env.LINKEDIN_AD_ACCOUNT_ID
  if (account === undefined || env.LINKEDIN_ACCESS_TOKEN === undefined) return null
  const client = new ReportClient(run, { tokenSetting: 'LINKEDIN_ACCESS_TOKEN' })
  const headers = {
    authorization: `Bearer ${env.LINKEDIN_ACCESS_TOKEN}`,
    'linkedin-version': env.LINKEDIN_API_VERSION,
    'x-restli-protocol-version': '2.0.0',
  }
  const base = `${env.LINKEDIN_API_BASE_URL}/rest`
  let lookups: Promise<{ currency: string; names: Map<string, string> }> | undefined
  const lookup = async () => {
    const { currency } = await client.json(
      `GET adAccounts/${account}`,
      `${base}/adAccounts/${account}`,
      { headers },
      Account,
    )
    const names = new Map<string, string>()
    let pageToken: string | undefined
    do {
      const url = `${base}/adAccounts/${account}/adCampaignGroups?q=search&pageSize=100${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`
      const page = await client.json(`GET adAccounts/${account}/adCampaignGroups`, url, { headers }, Groups)
      for (const g of page.elements) if (g.name !== undefined) names.set(String(g.id), g.name)
      pageToken = page.metadata?.nextPageToken || undefined
    } while (pageToken !== undefined)
    return { currency, names }
  }
  return {
    entity: 'linkedin_ads',
    async day(date) {
      lookups ??= lookup()
      const { currency, names } = await lookups
      const [year, month, day] = date.split('-').map(Number)
      const on = `(year:${year},month:${month},day:${day})`
      const urn = encodeURIComponent(`urn:li:sponsoredAccount:${account}`)
      const url =
        `${base}/adAnalytics?q=analytics&pivot=CAMPAIGN_GROUP&timeGranularity=DAILY` +
        `&dateRange=(start:${on},end:${on})&accounts=List(${urn})` +
        '&fields=dateRange,pivotValues,costInLocalCurrency,impressions,clicks'
      const answer = await client.json(`GET adAnalytics ${date}`, url, { headers }, AnalyticsAnswer)
      return answer.elements.map((e) => {
        const id = (e.pivotValues[0] ?? '').split(':').at(-1) ?? ''
        const s = e.dateRange.start
        return {
          start_date: `${s.year}-${String(s.month).padStart(2, '0')}-${String(s.day).padStart(2, '0')}`,
          campaign_group_id: id,
          campaign_group_name: names.get(id) ?? null,
          cost_in_local_currency: String(e.costInLocalCurrency ?? '0'),
          impressions: e.impressions ?? 0,
          clicks: e.clicks ?? 0,
          currency,
        }
      })
    },
  }
}
