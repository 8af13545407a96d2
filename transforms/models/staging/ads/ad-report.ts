import { type Expression, type Kysely, type RawBuilder, sql } from 'kysely'
import { z } from 'zod'
import type { SqlDialect } from '../../../../core/sql/dialect.js'
import { AD_PLATFORMS } from '../../rules/ad-platforms.js'
import { baseRateOn, type FxDb, inReporting, rateIntervals, rateOn } from '../records/fx.js'
import { type RawDb, rankedVersions } from '../records/latest-versions.js'
import { type PayloadFields, payloadFields } from '../records/payload-fields.js'

/** The shape every ad report is staged to: one row per report row (a campaign-day, or a segment of one). */
export const AdReportRow = z.object({
  /** The report row's key as landed (date, campaign and any segments). */
  report_row_id: z.string(),
  spend_date: z.iso.date(),
  platform: z.enum(AD_PLATFORMS),
  /** The channel as the source names it (the platform, or `ad_spend.csv`'s channel). */
  channel: z.string(),
  account_id: z.string().nullable(),
  campaign_id: z.string(),
  campaign_name: z.string().nullable(),
  currency: z.string(),
  spend_native: z.number(),
  /** Spend in the reporting currency, at the rate of the spend date; NULL without a rate. */
  spend: z.number().nullable(),
  impressions: z.int(),
  clicks: z.int(),
})

/** Where a report keeps each field (paths into its row), and how its spend and channel read. */
export interface AdReportFields {
  readonly date: string
  readonly accountId: string | null
  readonly campaignId: string
  readonly campaignName: string
  readonly currency: string
  readonly impressions: string
  readonly clicks: string
  /** Spend in the account currency's major unit (Google reports micros). */
  readonly spend: (p: PayloadFields) => RawBuilder<number | null>
  readonly channel: (p: PayloadFields) => RawBuilder<string | null>
  readonly platform: (channel: Expression<string | null>) => RawBuilder<string>
}

/**
 * A staged ad report: the latest landing of each report row (platforms restate recent days),
 * typed, with spend converted to the reporting currency. Field names hold dots (`segments.date`),
 * so each is one path step.
 */
export function adReportQuery<DB extends RawDb & FxDb>(
  db: Kysely<DB>,
  dialect: SqlDialect,
  f: AdReportFields,
) {
  // The query context's Kysely is typed by the model's inputs: exactly `raw` and `fx` here.
  const k = db as unknown as Kysely<RawDb & FxDb>
  return k
    .selectFrom(
      k
        .selectFrom(rankedVersions(k).as('v'))
        .where('v.version', '=', 1)
        .select((eb) => {
          const p = payloadFields(dialect, eb.ref('v.payload'))
          return [
            'v._id as report_row_id',
            p.date([f.date]).as('spend_date'),
            f.channel(p).as('channel'),
            (f.accountId === null ? sql<string | null>`CAST(NULL AS VARCHAR)` : p.text([f.accountId])).as(
              'account_id',
            ),
            p.text([f.campaignId]).as('campaign_id'),
            p.text([f.campaignName]).as('campaign_name'),
            p.currency([f.currency]).as('currency'),
            f.spend(p).as('spend_native'),
            p.integer([f.impressions]).as('impressions'),
            p.integer([f.clicks]).as('clicks'),
          ]
        })
        .as('r'),
    )
    .leftJoin(rateIntervals(k).as('rate'), (j) =>
      j.on(rateOn('rate', sql.ref('r.currency'), sql.ref('r.spend_date'))),
    )
    .leftJoin(rateIntervals(k).as('base'), (j) => j.on(baseRateOn(sql.ref('r.spend_date'))))
    .select((eb) => [
      'r.report_row_id',
      eb.ref('r.spend_date').$notNull().as('spend_date'),
      f.platform(eb.ref('r.channel')).$castTo<(typeof AD_PLATFORMS)[number]>().as('platform'),
      eb.fn.coalesce('r.channel', eb.val('unknown')).as('channel'),
      'r.account_id',
      eb.ref('r.campaign_id').$notNull().as('campaign_id'),
      'r.campaign_name',
      eb.ref('r.currency').$notNull().as('currency'),
      eb.fn.coalesce('r.spend_native', eb.lit(0)).as('spend_native'),
      inReporting(eb.fn.coalesce('r.spend_native', eb.lit(0)), eb.ref('r.currency')).as('spend'),
      eb.fn.coalesce('r.impressions', eb.lit(0)).as('impressions'),
      eb.fn.coalesce('r.clicks', eb.lit(0)).as('clicks'),
    ])
}

/** A platform's own report: its channel is the platform. */
export const fixedPlatform = (platform: string) => ({
  channel: () => sql<string>`${platform}`,
  platform: () => sql<string>`${platform}`,
})
