import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { rawSalesforceOpportunityFieldHistory } from '../../sources/salesforce.js'
import { rankedVersions } from '../records/latest-versions.js'
import { payloadFields } from '../records/payload-fields.js'

/**
 * OpportunityFieldHistory rows: one change of one tracked field (old and new value as text).
 * Owner changes are only here; Salesforce writes them twice (ids and names), `data_type` tells
 * them apart (`EntityId` for ids).
 */
export const stgSalesforceOpportunityFieldHistory = defineModel({
  name: 'stg_salesforce__opportunity_field_history',
  layer: 'staging',
  materialized: 'table',
  description: 'One row per Salesforce OpportunityFieldHistory record: one tracked field’s change.',
  inputs: { raw: rawSalesforceOpportunityFieldHistory },
  columns: z.object({
    field_history_id: z.string(),
    opportunity_id: z.string(),
    field: z.string(),
    data_type: z.string().nullable(),
    old_value: z.string().nullable(),
    new_value: z.string().nullable(),
    created_at: z.iso.datetime().nullable(),
    created_by_id: z.string().nullable(),
    is_deleted: z.boolean(),
  }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(rankedVersions(db).as('v'))
      .where('v.version', '=', 1)
      .select((eb) => {
        const p = payloadFields(dialect, eb.ref('v.payload'))
        return [
          'v._id as field_history_id',
          p.text('OpportunityId').$notNull().as('opportunity_id'),
          p.text('Field').$notNull().as('field'),
          p.text('DataType').as('data_type'),
          p.text('OldValue').as('old_value'),
          p.text('NewValue').as('new_value'),
          p.timestamp('CreatedDate').as('created_at'),
          p.text('CreatedById').as('created_by_id'),
          'v._deleted as is_deleted',
        ]
      }),
  tests: (t) => [t.unique('field_history_id')],
})
