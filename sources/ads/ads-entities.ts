import { z } from 'zod'
import { defineEntity, type EntityContract } from '../contract.js'
import {
  integer,
  requiredCurrency,
  requiredDate,
  requiredId,
  requiredInteger,
  requiredNumber,
  text,
} from '../fields.js'

/**
 * Daily campaign reports, one row per campaign and day, spend in the ad account's currency. The
 * platforms restate recent days, so a row has no cursor: a later landing of the same key replaces
 * an earlier one in staging (by `_ingested_at`). Primary key: date + campaign (+ channel for the
 * plain `ad_spend.csv`). Google Ads reports split a campaign-day by segments (device, network):
 * any other `segments.*` column present joins the key, so those rows never collapse into one.
 */

type AdsRecord = Record<string, unknown>

function adsEntity(
  entity: string,
  schema: z.ZodType<AdsRecord>,
  primaryKey: readonly string[],
): EntityContract {
  return defineEntity({
    source: 'ads',
    entity,
    schema,
    primaryKey,
    cursorField: null,
    cursor: () => null,
    deletedField: null,
    deleted: () => false,
  })
}

const googleKey = ['segments.date', 'campaign.id']

export const adsEntities: readonly EntityContract[] = [
  defineEntity({
    source: 'ads',
    entity: 'google_ads',
    schema: z.looseObject({
      'segments.date': requiredDate(),
      'campaign.id': requiredId(),
      'campaign.name': text(),
      'metrics.cost_micros': requiredInteger(),
      'metrics.impressions': integer(),
      'metrics.clicks': integer(),
      'customer.currency_code': requiredCurrency(),
    }),
    primaryKey: googleKey,
    id: (record: AdsRecord) => {
      const segments = Object.keys(record)
        .filter((k) => k.startsWith('segments.') && k !== 'segments.date')
        .sort()
      return [...googleKey, ...segments].map((k) => String(record[k] ?? '')).join('|')
    },
    cursorField: null,
    cursor: () => null,
    deletedField: null,
    deleted: () => false,
  }),
  adsEntity(
    'meta_ads',
    z.looseObject({
      date_start: requiredDate(),
      campaign_id: requiredId(),
      campaign_name: text(),
      spend: requiredNumber(),
      impressions: integer(),
      clicks: integer(),
      account_currency: requiredCurrency(),
    }),
    ['date_start', 'campaign_id'],
  ),
  adsEntity(
    'linkedin_ads',
    z.looseObject({
      start_date: requiredDate(),
      campaign_group_id: requiredId(),
      campaign_group_name: text(),
      cost_in_local_currency: requiredNumber(),
      impressions: integer(),
      clicks: integer(),
      currency: requiredCurrency(),
    }),
    ['start_date', 'campaign_group_id'],
  ),
  adsEntity(
    'ad_spend',
    z.looseObject({
      date: requiredDate(),
      channel: requiredId(),
      campaign_id: requiredId(),
      campaign_name: text(),
      spend: requiredNumber(),
      currency: requiredCurrency(),
      impressions: integer(),
      clicks: integer(),
    }),
    ['date', 'channel', 'campaign_id'],
  ),
]
