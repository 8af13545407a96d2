import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { forecastCategoryLabel } from '../../rules/forecast-categories.js'
import { rawHubspotDeals } from '../../sources/hubspot.js'
import { stgFinanceFxRates } from '../finance/stg-finance-fx-rates.js'
import { baseRateOn, inReporting, REPORTING_CURRENCY, rateIntervals, rateOn } from '../records/fx.js'
import { rankedVersions } from '../records/latest-versions.js'
import { payloadFields } from '../records/payload-fields.js'

const props = (name: string) => ['properties', name]

/**
 * HubSpot deals, latest version each; archived deals are kept and flagged. `amount` is in the
 * deal's `deal_currency_code` (the portal's currency, taken to be the reporting currency, when
 * absent), converted at the close date. A deal synced from Salesforce names its opportunity in
 * `salesforce_opportunity_id`; Salesforce is the record for those.
 */
export const stgHubspotDeals = defineModel({
  name: 'stg_hubspot__deals',
  layer: 'staging',
  materialized: 'table',
  description: 'One row per HubSpot deal, latest version; amount converted to the reporting currency.',
  inputs: { raw: rawHubspotDeals, fx: stgFinanceFxRates },
  columns: z.object({
    deal_id: z.string(),
    deal_name: z.string().nullable(),
    pipeline_id: z.string().nullable(),
    deal_stage_id: z.string().nullable(),
    deal_type: z.string().nullable(),
    currency: z.string(),
    amount_native: z.number().nullable(),
    amount: z.number().nullable(),
    close_date: z.iso.date().nullable(),
    forecast_category: z.string().nullable(),
    owner_id: z.string().nullable(),
    company_id: z.string().nullable(),
    salesforce_opportunity_id: z.string().nullable(),
    created_at: z.iso.datetime(),
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
              'v._id as deal_id',
              p.text(props('dealname')).as('deal_name'),
              p.text(props('pipeline')).as('pipeline_id'),
              p.text(props('dealstage')).as('deal_stage_id'),
              p.text(props('dealtype')).as('deal_type'),
              eb.fn
                .coalesce(p.currency(props('deal_currency_code')), eb.val(REPORTING_CURRENCY))
                .as('currency'),
              p.number(props('amount')).as('amount_native'),
              p.date(props('closedate')).as('close_date'),
              forecastCategoryLabel(p.text(props('hs_manual_forecast_category'))).as('forecast_category'),
              p.text(props('hubspot_owner_id')).as('owner_id'),
              p.text(['associations', 'companies', 'results', 0, 'id']).as('company_id'),
              p.text(props('salesforceopportunityid')).as('salesforce_opportunity_id'),
              eb.fn
                .coalesce(p.timestamp('createdAt'), p.timestamp(props('createdate')), 'v._ingested_at')
                .as('created_at'),
              eb.ref('v._updated_at').as('updated_at'),
              'v._deleted as is_deleted',
            ]
          })
          .as('d'),
      )
      .leftJoin(rateIntervals(db).as('rate'), (j) =>
        j.on(rateOn('rate', sql.ref('d.currency'), sql.ref('d.close_date'))),
      )
      .leftJoin(rateIntervals(db).as('base'), (j) => j.on(baseRateOn(sql.ref('d.close_date'))))
      .select((eb) => [
        'd.deal_id',
        'd.deal_name',
        'd.pipeline_id',
        'd.deal_stage_id',
        'd.deal_type',
        'd.currency',
        'd.amount_native',
        inReporting(eb.ref('d.amount_native'), eb.ref('d.currency')).as('amount'),
        'd.close_date',
        'd.forecast_category',
        'd.owner_id',
        'd.company_id',
        'd.salesforce_opportunity_id',
        'd.created_at',
        'd.updated_at',
        'd.is_deleted',
      ]),
  tests: (t) => [
    t.unique('deal_id'),
    t.expression(
      'amount_has_a_rate',
      (eb) => eb.or([eb('amount_native', 'is', null), eb('amount', 'is not', null)]),
      {
        severity: 'warn',
      },
    ),
  ],
})
