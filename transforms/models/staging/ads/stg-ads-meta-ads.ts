import { defineModel } from '../../../framework/index.js'
import { rawMetaAds } from '../../sources/ads.js'
import { stgFinanceFxRates } from '../finance/stg-finance-fx-rates.js'
import { AdReportRow, adReportQuery, fixedPlatform } from './ad-report.js'

/** Meta (Facebook/Instagram) Ads campaign insights per day, spend in the ad account's currency. */
export const stgAdsMetaAds = defineModel({
  name: 'stg_ads__meta_ads',
  layer: 'staging',
  materialized: 'table',
  description: 'Meta Ads campaign-day rows in the ad account currency.',
  inputs: { raw: rawMetaAds, fx: stgFinanceFxRates },
  columns: AdReportRow,
  query: ({ db, dialect }) =>
    adReportQuery(db, dialect, {
      date: 'date_start',
      accountId: 'account_id',
      campaignId: 'campaign_id',
      campaignName: 'campaign_name',
      currency: 'account_currency',
      impressions: 'impressions',
      clicks: 'clicks',
      spend: (p) => p.number(['spend']),
      ...fixedPlatform('meta_ads'),
    }),
  tests: (t) => [t.unique('report_row_id')],
})
