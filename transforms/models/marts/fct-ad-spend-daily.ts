import { sql } from 'kysely'
import { defineModel } from '../../framework/index.js'
import { AD_PLATFORMS } from '../rules/ad-platforms.js'
import { stgAdsAdSpend } from '../staging/ads/stg-ads-ad-spend.js'
import { stgAdsGoogleAds } from '../staging/ads/stg-ads-google-ads.js'
import { stgAdsLinkedinAds } from '../staging/ads/stg-ads-linkedin-ads.js'
import { stgAdsMetaAds } from '../staging/ads/stg-ads-meta-ads.js'
import { FctAdSpendDaily } from './contracts.js'

/**
 * Paid media spend per day, platform, channel and campaign: the Google, Meta and LinkedIn reports
 * summed over their segments (devices, networks), and `ad_spend.csv` for everything else. A plain
 * row for a platform-campaign-day its own report already covers is left out, so spend is never
 * counted twice. Spend is in the reporting currency at the spend date's rate.
 */
export const fctAdSpendDaily = defineModel({
  name: 'fct_ad_spend_daily',
  layer: 'marts',
  materialized: 'table',
  description:
    'Ad spend per day, platform and campaign from every platform report, in the reporting currency.',
  inputs: { google: stgAdsGoogleAds, meta: stgAdsMetaAds, linkedin: stgAdsLinkedinAds, plain: stgAdsAdSpend },
  columns: FctAdSpendDaily,
  query: ({ db }) => {
    const columns = [
      'spend_date',
      'platform',
      'channel',
      'campaign_id',
      'campaign_name',
      'currency',
      'spend_native',
      'spend',
      'impressions',
      'clicks',
    ] as const
    const reports = db
      .selectFrom('google')
      .select(columns.map((c) => `google.${c}` as const))
      .unionAll(db.selectFrom('meta').select(columns.map((c) => `meta.${c}` as const)))
      .unionAll(db.selectFrom('linkedin').select(columns.map((c) => `linkedin.${c}` as const)))
    return db
      .with('reports', () => reports)
      .with('all_rows', (qb) =>
        qb
          .selectFrom('reports')
          .selectAll()
          .unionAll(
            qb
              .selectFrom('plain')
              .where(({ not, exists, selectFrom }) =>
                not(
                  exists(
                    selectFrom('reports as r')
                      .select(sql<number>`1`.as('one'))
                      .whereRef('r.platform', '=', 'plain.platform')
                      .whereRef('r.campaign_id', '=', 'plain.campaign_id')
                      .whereRef('r.spend_date', '=', 'plain.spend_date'),
                  ),
                ),
              )
              .select(columns.map((c) => `plain.${c}` as const)),
          ),
      )
      .selectFrom('all_rows as a')
      .select((eb) => [
        'a.spend_date',
        eb.ref('a.platform').$castTo<string>().as('platform'),
        'a.channel',
        'a.campaign_id',
        eb.fn.max('a.campaign_name').as('campaign_name'),
        'a.currency',
        eb.fn.sum<number>('a.spend_native').as('spend_native'),
        // A row without a rate makes the day's spend unknown (and fails the contract), never smaller.
        sql<number>`CASE WHEN count(*) = count(${eb.ref('a.spend')}) THEN sum(${eb.ref('a.spend')}) END`.as(
          'spend',
        ),
        sql<number>`CAST(sum(${eb.ref('a.impressions')}) AS BIGINT)`.as('impressions'),
        sql<number>`CAST(sum(${eb.ref('a.clicks')}) AS BIGINT)`.as('clicks'),
      ])
      .groupBy(['a.spend_date', 'a.platform', 'a.channel', 'a.campaign_id', 'a.currency'])
  },
  tests: (t) => [
    t.unique(['spend_date', 'platform', 'channel', 'campaign_id', 'currency']),
    t.acceptedValues('platform', AD_PLATFORMS),
    t.expression('spend_not_negative', (eb) => eb('spend_native', '>=', 0)),
  ],
})
