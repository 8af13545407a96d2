import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { rawSalesforceCampaignMember } from '../../sources/salesforce.js'
import { rankedVersions } from '../records/latest-versions.js'
import { payloadFields } from '../records/payload-fields.js'

/** Campaign members: a lead or a contact in a campaign, and whether and when it responded. */
export const stgSalesforceCampaignMember = defineModel({
  name: 'stg_salesforce__campaign_member',
  layer: 'staging',
  materialized: 'table',
  description: 'One row per Salesforce campaign member (lead or contact × campaign), latest version.',
  inputs: { raw: rawSalesforceCampaignMember },
  columns: z.object({
    campaign_member_id: z.string(),
    campaign_id: z.string(),
    lead_id: z.string().nullable(),
    contact_id: z.string().nullable(),
    status: z.string().nullable(),
    has_responded: z.boolean(),
    first_responded_date: z.iso.date().nullable(),
    created_at: z.iso.datetime().nullable(),
    is_deleted: z.boolean(),
  }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(rankedVersions(db).as('v'))
      .where('v.version', '=', 1)
      .select((eb) => {
        const p = payloadFields(dialect, eb.ref('v.payload'))
        return [
          'v._id as campaign_member_id',
          p.text('CampaignId').$notNull().as('campaign_id'),
          p.text('LeadId').as('lead_id'),
          p.text('ContactId').as('contact_id'),
          p.text('Status').as('status'),
          eb.fn.coalesce(p.boolean('HasResponded'), eb.lit(false)).as('has_responded'),
          p.date('FirstRespondedDate').as('first_responded_date'),
          p.timestamp('CreatedDate').as('created_at'),
          'v._deleted as is_deleted',
        ]
      }),
  tests: (t) => [t.unique('campaign_member_id')],
})
