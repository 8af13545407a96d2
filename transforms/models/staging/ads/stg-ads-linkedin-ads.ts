import { defineModel } from '../../../framework/index.js'
import { rawLinkedinAds } from '../../sources/ads.js'
import { stgFinanceFxRates } from '../finance/stg-finance-fx-rates.js'
import { AdReportRow, adReportQuery, fixedPlatform } from './ad-report.js'

/**
 * LinkedIn Ads per campaign group and day. A LinkedIn "campaign group" is what the other
 * platforms call a campaign (a LinkedIn campaign is an ad group), so the group is the campaign here.
 */
export const stgAdsLinkedinAds = defineModel({
  name: 'stg_ads__linkedin_ads',
  layer: 'staging',
  materialized: 'table',
  description: 'LinkedIn Ads campaign-group-day rows in the account currency.',
  inputs: { raw: rawLinkedinAds, fx: stgFinanceFxRates },
  columns: AdReportRow,
  query: ({ db, dialect }) =>
    adReportQuery(db, dialect, {
      date: 'start_date',
      accountId: 'account_id',
      campaignId: 'campaign_group_id',
      campaignName: 'campaign_group_name',
      currency: 'currency',
      impressions: 'impressions',
      clicks: 'clicks',
      spend: (p) => p.number(['cost_in_local_currency']),
      ...fixedPlatform('linkedin_ads'),
    }),
  tests: (t) => [t.unique('report_row_id')],
})
