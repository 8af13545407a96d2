import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { forecastCategoryLabel } from '../../rules/forecast-categories.js'
import { rawSalesforceOpportunity } from '../../sources/salesforce.js'
import { stgFinanceFxRates } from '../finance/stg-finance-fx-rates.js'
import { baseRateOn, inReporting, REPORTING_CURRENCY, rateIntervals, rateOn } from '../records/fx.js'
import { rankedVersions } from '../records/latest-versions.js'
import { payloadFields } from '../records/payload-fields.js'

/**
 * Salesforce opportunities, latest version each; deleted ones are kept and flagged. `Amount` is in
 * the opportunity's `CurrencyIsoCode` (multi-currency orgs) or, without one, in the org's
 * corporate currency, taken to be the reporting currency; `amount` converts it at the close date.
 */
export const stgSalesforceOpportunity = defineModel({
  name: 'stg_salesforce__opportunity',
  layer: 'staging',
  materialized: 'table',
  description:
    'One row per Salesforce opportunity, latest version; amount converted to the reporting currency at the close date.',
  inputs: { raw: rawSalesforceOpportunity, fx: stgFinanceFxRates },
  columns: z.object({
    opportunity_id: z.string(),
    account_id: z.string().nullable(),
    owner_id: z.string().nullable(),
    opportunity_name: z.string().nullable(),
    stage_name: z.string(),
    close_date: z.iso.date().nullable(),
    is_closed: z.boolean(),
    is_won: z.boolean(),
    currency: z.string(),
    amount_native: z.number().nullable(),
    amount: z.number().nullable(),
    probability: z.number().nullable(),
    forecast_category: z.string().nullable(),
    opportunity_type: z.string().nullable(),
    lead_source: z.string().nullable(),
    campaign_id: z.string().nullable(),
    created_at: z.iso.datetime(),
    last_modified_at: z.iso.datetime().nullable(),
    updated_at: z.iso.datetime().nullable(),
    is_deleted: z.boolean(),
  }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(
        db
          .selectFrom(rankedVersions(db).as('v'))
          .where('v.version', '=', 1)
          .select((eb) => {
            const p = payloadFields(dialect, eb.ref('v.payload'))
            return [
              'v._id as opportunity_id',
              p.text('AccountId').as('account_id'),
              p.text('OwnerId').as('owner_id'),
              p.text('Name').as('opportunity_name'),
              p.text('StageName').as('stage_name'),
              p.date('CloseDate').as('close_date'),
              p.boolean('IsClosed').as('is_closed'),
              p.boolean('IsWon').as('is_won'),
              eb.fn.coalesce(p.currency('CurrencyIsoCode'), eb.val(REPORTING_CURRENCY)).as('currency'),
              p.number('Amount').as('amount_native'),
              p.number('Probability').as('probability'),
              eb.fn
                .coalesce(p.text('ForecastCategoryName'), forecastCategoryLabel(p.text('ForecastCategory')))
                .as('forecast_category'),
              p.text('Type').as('opportunity_type'),
              p.text('LeadSource').as('lead_source'),
              p.text('CampaignId').as('campaign_id'),
              // Every landed opportunity has one; the envelope's cursor is its stand-in otherwise.
              eb.fn.coalesce(p.timestamp('CreatedDate'), 'v._updated_at', 'v._ingested_at').as('created_at'),
              p.timestamp('LastModifiedDate').as('last_modified_at'),
              eb.ref('v._updated_at').as('updated_at'),
              'v._deleted as is_deleted',
            ]
          })
          .as('o'),
      )
      .leftJoin(rateIntervals(db).as('rate'), (j) =>
        j.on(rateOn('rate', sql.ref('o.currency'), sql.ref('o.close_date'))),
      )
      .leftJoin(rateIntervals(db).as('base'), (j) => j.on(baseRateOn(sql.ref('o.close_date'))))
      .select((eb) => [
        'o.opportunity_id',
        'o.account_id',
        'o.owner_id',
        'o.opportunity_name',
        eb.fn.coalesce('o.stage_name', eb.val('(none)')).as('stage_name'),
        'o.close_date',
        eb.fn.coalesce('o.is_closed', eb.lit(false)).as('is_closed'),
        eb.fn.coalesce('o.is_won', eb.lit(false)).as('is_won'),
        'o.currency',
        'o.amount_native',
        inReporting(eb.ref('o.amount_native'), eb.ref('o.currency')).as('amount'),
        'o.probability',
        'o.forecast_category',
        'o.opportunity_type',
        'o.lead_source',
        'o.campaign_id',
        'o.created_at',
        'o.last_modified_at',
        'o.updated_at',
        'o.is_deleted',
      ]),
  tests: (t) => [
    t.unique('opportunity_id'),
    t.expression(
      'amount_has_a_rate',
      (eb) => eb.or([eb('amount_native', 'is', null), eb('amount', 'is not', null)]),
      { severity: 'warn' },
    ),
  ],
})
