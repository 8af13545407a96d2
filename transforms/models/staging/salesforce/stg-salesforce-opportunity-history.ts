import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { forecastCategoryLabel } from '../../rules/forecast-categories.js'
import { rawSalesforceOpportunityHistory } from '../../sources/salesforce.js'
import { rankedVersions } from '../records/latest-versions.js'
import { payloadFields } from '../records/payload-fields.js'

/**
 * OpportunityHistory rows: the values of stage, amount, close date and probability right after a
 * change to any of them, at `created_at`. Amounts stay in the opportunity's currency here; the
 * history mart converts them like the opportunity. `prev_amount`/`prev_close_date` are NULL in
 * orgs older than API v50 (Winter '21), so nothing relies on them.
 */
export const stgSalesforceOpportunityHistory = defineModel({
  name: 'stg_salesforce__opportunity_history',
  layer: 'staging',
  materialized: 'table',
  description: 'One row per Salesforce OpportunityHistory record: an opportunity’s state after a change.',
  inputs: { raw: rawSalesforceOpportunityHistory },
  columns: z.object({
    history_id: z.string(),
    opportunity_id: z.string(),
    created_at: z.iso.datetime().nullable(),
    stage_name: z.string().nullable(),
    amount_native: z.number().nullable(),
    close_date: z.iso.date().nullable(),
    probability: z.number().nullable(),
    forecast_category: z.string().nullable(),
    prev_amount_native: z.number().nullable(),
    prev_close_date: z.iso.date().nullable(),
    is_deleted: z.boolean(),
  }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(rankedVersions(db).as('v'))
      .where('v.version', '=', 1)
      .select((eb) => {
        const p = payloadFields(dialect, eb.ref('v.payload'))
        return [
          'v._id as history_id',
          p.text('OpportunityId').$notNull().as('opportunity_id'),
          p.timestamp('CreatedDate').as('created_at'),
          p.text('StageName').as('stage_name'),
          p.number('Amount').as('amount_native'),
          p.date('CloseDate').as('close_date'),
          p.number('Probability').as('probability'),
          forecastCategoryLabel(p.text('ForecastCategory')).as('forecast_category'),
          p.number('PrevAmount').as('prev_amount_native'),
          p.date('PrevCloseDate').as('prev_close_date'),
          'v._deleted as is_deleted',
        ]
      }),
  tests: (t) => [t.unique('history_id')],
})
