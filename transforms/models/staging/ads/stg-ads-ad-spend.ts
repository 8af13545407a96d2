import { defineModel } from '../../../framework/index.js'
import { platformOfChannel } from '../../rules/ad-platforms.js'
import { rawAdSpend } from '../../sources/ads.js'
import { stgFinanceFxRates } from '../finance/stg-finance-fx-rates.js'
import { AdReportRow, adReportQuery } from './ad-report.js'

/** Plain ad spend rows (`ad_spend.csv`) for platforms without their own report shape. */
export const stgAdsAdSpend = defineModel({
  name: 'stg_ads__ad_spend',
  layer: 'staging',
  materialized: 'table',
  description:
    'Ad spend per channel, campaign and day from ad_spend.csv, with the platform its channel names.',
  inputs: { raw: rawAdSpend, fx: stgFinanceFxRates },
  columns: AdReportRow,
  query: ({ db, dialect }) =>
    adReportQuery(db, dialect, {
      date: 'date',
      accountId: null,
      campaignId: 'campaign_id',
      campaignName: 'campaign_name',
      currency: 'currency',
      impressions: 'impressions',
      clicks: 'clicks',
      spend: (p) => p.number(['spend']),
      channel: (p) => p.text(['channel']),
      platform: platformOfChannel,
    }),
  tests: (t) => [t.unique('report_row_id')],
})
