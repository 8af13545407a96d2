import type { FxTable } from './fx.js'
import type { IdFactory } from './ids.js'
import { Rng } from './prng.js'
import type { CsvSink } from './sink.js'
import { DAY, dateKey, monthKey } from './time.js'

export type Platform = 'google' | 'meta' | 'linkedin' | 'microsoft' | 'capterra'

export interface AdCampaign {
  platform: Platform
  id: string
  name: string
  /** utm_campaign carried by the leads it brings. */
  utm: string
  start: number
  end: number
  dailyBudget: number
  currency: 'USD' | 'EUR'
  /** Salesforce Campaign id (filled when the CRM side creates it). */
  sfCampaignId: string
}

const THEMES: Record<Platform, string[]> = {
  google: [
    'Brand Search',
    'Competitor Search',
    'Generic - Revenue Analytics',
    'Generic - MRR Dashboard',
    'Retargeting Display',
  ],
  meta: ['Prospecting - Lookalike', 'Retargeting - Site Visitors', 'Webinar Promotion'],
  linkedin: ['ABM - Finance Leaders', 'Demand Gen - RevOps', 'Event - SaaS Metrics Summit'],
  microsoft: ['Bing Brand', 'Bing Generic'],
  capterra: ['Capterra PPC - Financial Reporting'],
}

const UTM_SOURCE: Record<Platform, [string, string]> = {
  google: ['google', 'cpc'],
  meta: ['facebook', 'paid_social'],
  linkedin: ['linkedin', 'paid_social'],
  microsoft: ['bing', 'cpc'],
  capterra: ['capterra', 'cpc'],
}

export function utmOf(c: AdCampaign): { source: string; medium: string; campaign: string } {
  const [source, medium] = UTM_SOURCE[c.platform]
  return { source, medium, campaign: c.utm }
}

/** The ad campaigns of the demo company; more of them, and bigger budgets, at larger scales. */
export function adCampaigns(
  seed: number,
  scale: number,
  ids: IdFactory,
  from: number,
  to: number,
): AdCampaign[] {
  const rng = Rng.derive(seed, 'ads:campaigns')
  const copies = Math.max(1, Math.round(Math.sqrt(scale)))
  const out: AdCampaign[] = []
  const budget = (base: number) => base * Math.sqrt(scale) * (0.7 + rng.next() * 0.6)
  for (const platform of ['google', 'meta', 'linkedin', 'microsoft', 'capterra'] as const) {
    for (let k = 0; k < copies; k++) {
      for (const theme of THEMES[platform]) {
        const name = copies > 1 ? `${theme} ${k + 1}` : theme
        const span = to - from
        const always = theme.startsWith('Brand') || theme.startsWith('Generic') || rng.chance(0.4)
        const start = always ? from : from + Math.floor((rng.next() * span * 0.6) / DAY) * DAY
        const end = always ? to : Math.min(to, start + rng.int(60, 240) * DAY)
        const id =
          platform === 'google'
            ? String(20_000_000_000 + ids.next('gads') * 7919)
            : platform === 'meta'
              ? `1202100${String(ids.next('meta') * 104729).padStart(11, '0')}`
              : platform === 'linkedin'
                ? String(600_000_000 + ids.next('li') * 31)
                : `${platform}-${ids.next(platform)}`
        out.push({
          platform,
          id,
          name,
          utm: name
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '_')
            .replace(/^_|_$/g, ''),
          start,
          end,
          dailyBudget: budget(platform === 'linkedin' ? 260 : platform === 'capterra' ? 90 : 180),
          currency: platform === 'meta' ? 'EUR' : 'USD',
          sfCampaignId: '',
        })
      }
    }
  }
  return out
}

export interface AdSinks {
  google: CsvSink<string>
  meta: CsvSink<string>
  linkedin: CsvSink<string>
  plain: CsvSink<string>
}

export const AD_COLUMNS = {
  google: [
    'segments.date',
    'customer.id',
    'customer.currency_code',
    'campaign.id',
    'campaign.name',
    'segments.device',
    'metrics.cost_micros',
    'metrics.impressions',
    'metrics.clicks',
    'metrics.conversions',
  ],
  meta: [
    'date_start',
    'date_stop',
    'account_id',
    'account_currency',
    'campaign_id',
    'campaign_name',
    'spend',
    'impressions',
    'clicks',
  ],
  linkedin: [
    'start_date',
    'end_date',
    'account_id',
    'campaign_group_id',
    'campaign_group_name',
    'cost_in_local_currency',
    'currency',
    'impressions',
    'clicks',
  ],
  plain: ['date', 'channel', 'campaign_id', 'campaign_name', 'spend', 'currency', 'impressions', 'clicks'],
} as const

/**
 * Daily spend per campaign in each platform's own report shape and account currency (Google in
 * micros, split by device, so a campaign-day has several rows). Returns paid spend per month in USD.
 */
export async function writeAdSpend(
  seed: number,
  campaigns: AdCampaign[],
  sinks: AdSinks,
  fx: FxTable,
  drain: () => Promise<void>,
): Promise<Map<string, number>> {
  const spendByMonth = new Map<string, number>()
  const rng = Rng.derive(seed, 'ads:spend')
  const from = Math.min(...campaigns.map((c) => c.start))
  const to = Math.max(...campaigns.map((c) => c.end))
  for (let day = from; day < to; day += DAY) {
    const date = dateKey(day)
    const weekday = new Date(day * 1000).getUTCDay()
    const weekendFactor = weekday === 0 || weekday === 6 ? 0.6 : 1
    for (const c of campaigns) {
      if (day < c.start || day >= c.end) continue
      const spend = c.dailyBudget * weekendFactor * (0.75 + rng.next() * 0.5)
      const cpc = c.platform === 'linkedin' ? 9 : c.platform === 'meta' ? 1.6 : 3.2
      const clicks = Math.max(0, Math.round(spend / cpc))
      const impressions = Math.round(clicks * (c.platform === 'google' ? 18 : 95) * (0.8 + rng.next() * 0.4))
      let usd = 0
      if (c.platform === 'google') {
        const shares = [0.55, 0.38, 0.07]
        const devices = ['DESKTOP', 'MOBILE', 'TABLET']
        devices.forEach((device, i) => {
          const s = spend * (shares[i] ?? 0)
          const micros = Math.round(s * 100) * 10_000
          usd += micros / 1e6
          sinks.google.row({
            'segments.date': date,
            'customer.id': '8041236795',
            'customer.currency_code': 'USD',
            'campaign.id': c.id,
            'campaign.name': c.name,
            'segments.device': device,
            'metrics.cost_micros': micros,
            'metrics.impressions': Math.round(impressions * (shares[i] ?? 0)),
            'metrics.clicks': Math.round(clicks * (shares[i] ?? 0)),
            'metrics.conversions': (Math.round(clicks * (shares[i] ?? 0) * 0.04 * 100) / 100).toFixed(2),
          })
        })
      } else if (c.platform === 'meta') {
        const eur = Math.round((spend / 1.08) * 100) / 100
        usd += eur * fx.rate('eur', day)
        sinks.meta.row({
          date_start: date,
          date_stop: date,
          account_id: 'act_318826401',
          account_currency: 'EUR',
          campaign_id: c.id,
          campaign_name: c.name,
          spend: eur.toFixed(2),
          impressions,
          clicks,
        })
      } else if (c.platform === 'linkedin') {
        const cost = Math.round(spend * 100) / 100
        usd += cost
        sinks.linkedin.row({
          start_date: date,
          end_date: date,
          account_id: '508812334',
          campaign_group_id: c.id,
          campaign_group_name: c.name,
          cost_in_local_currency: cost.toFixed(2),
          currency: 'USD',
          impressions,
          clicks,
        })
      } else {
        const cost = Math.round(spend * 100) / 100
        usd += cost
        sinks.plain.row({
          date,
          channel: c.platform === 'microsoft' ? 'microsoft_ads' : 'capterra',
          campaign_id: c.id,
          campaign_name: c.name,
          spend: cost.toFixed(2),
          currency: 'USD',
          impressions,
          clicks,
        })
      }
      const m = monthKey(day)
      spendByMonth.set(m, (spendByMonth.get(m) ?? 0) + usd)
    }
    await drain()
  }
  return spendByMonth
}
