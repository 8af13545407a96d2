import { sql } from 'kysely'
import { defineModel } from '../../../framework/index.js'
import { rawGoogleAds } from '../../sources/ads.js'
import { stgFinanceFxRates } from '../finance/stg-finance-fx-rates.js'
import { AdReportRow, adReportQuery, fixedPlatform } from './ad-report.js'

/** Google Ads campaign report rows; several per campaign-day when split by device or network. */
export const stgAdsGoogleAds = defineModel({
  name: 'stg_ads__google_ads',
  layer: 'staging',
  materialized: 'table',
  description: 'Google Ads campaign-day(-segment) rows; cost_micros ÷ 1,000,000 in the account currency.',
  inputs: { raw: rawGoogleAds, fx: stgFinanceFxRates },
  columns: AdReportRow,
  query: ({ db, dialect }) =>
    adReportQuery(db, dialect, {
      date: 'segments.date',
      accountId: 'customer.id',
      campaignId: 'campaign.id',
      campaignName: 'campaign.name',
      currency: 'customer.currency_code',
      impressions: 'metrics.impressions',
      clicks: 'metrics.clicks',
      spend: (p) => sql<number | null>`${p.number(['metrics.cost_micros'])} / 1000000`,
      ...fixedPlatform('google_ads'),
    }),
  tests: (t) => [t.unique('report_row_id')],
})
