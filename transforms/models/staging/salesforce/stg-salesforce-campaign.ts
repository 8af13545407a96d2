import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { CHANNELS, channelOfText } from '../../rules/channels.js'
import { rawSalesforceCampaign } from '../../sources/salesforce.js'
import { rankedVersions } from '../records/latest-versions.js'
import { payloadFields } from '../records/payload-fields.js'

/**
 * Salesforce campaigns with their channel (from the campaign type, rules/channels.ts). Campaigns
 * that mirror an ad platform campaign carry its id and UTM name in the conventional custom fields
 * `External_Campaign_Id__c` and `UTM_Campaign__c` (NULL when absent).
 */
export const stgSalesforceCampaign = defineModel({
  name: 'stg_salesforce__campaign',
  layer: 'staging',
  materialized: 'table',
  description: 'One row per Salesforce campaign, latest version, with its marketing channel.',
  inputs: { raw: rawSalesforceCampaign },
  columns: z.object({
    campaign_id: z.string(),
    campaign_name: z.string().nullable(),
    campaign_type: z.string().nullable(),
    channel: z.string(),
    status: z.string().nullable(),
    start_date: z.iso.date().nullable(),
    end_date: z.iso.date().nullable(),
    is_active: z.boolean().nullable(),
    parent_campaign_id: z.string().nullable(),
    budgeted_cost: z.number().nullable(),
    actual_cost: z.number().nullable(),
    external_campaign_id: z.string().nullable(),
    utm_campaign: z.string().nullable(),
    created_at: z.iso.datetime().nullable(),
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
              'v._id as campaign_id',
              p.text('Name').as('campaign_name'),
              p.text('Type').as('campaign_type'),
              p.text('Status').as('status'),
              p.date('StartDate').as('start_date'),
              p.date('EndDate').as('end_date'),
              p.boolean('IsActive').as('is_active'),
              p.text('ParentId').as('parent_campaign_id'),
              p.number('BudgetedCost').as('budgeted_cost'),
              p.number('ActualCost').as('actual_cost'),
              p.text('External_Campaign_Id__c').as('external_campaign_id'),
              sql<string | null>`lower(${p.text('UTM_Campaign__c')})`.as('utm_campaign'),
              p.timestamp('CreatedDate').as('created_at'),
              'v._deleted as is_deleted',
            ]
          })
          .as('c'),
      )
      .selectAll('c')
      .select((eb) =>
        eb.fn.coalesce(channelOfText(eb.ref('c.campaign_type')), eb.val('unknown')).as('channel'),
      ),
  tests: (t) => [t.unique('campaign_id'), t.acceptedValues('channel', CHANNELS)],
})
