import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { rawSalesforceContact } from '../../sources/salesforce.js'
import { emailDomain } from '../records/domains.js'
import { rankedVersions } from '../records/latest-versions.js'
import { payloadFields } from '../records/payload-fields.js'

/** Salesforce contacts, latest version each; deleted contacts are kept and flagged. */
export const stgSalesforceContact = defineModel({
  name: 'stg_salesforce__contact',
  layer: 'staging',
  materialized: 'table',
  description: 'One row per Salesforce contact, latest version; emails lower-cased.',
  inputs: { raw: rawSalesforceContact },
  columns: z.object({
    contact_id: z.string(),
    account_id: z.string().nullable(),
    owner_id: z.string().nullable(),
    email: z.string().nullable(),
    email_domain: z.string().nullable(),
    lead_source: z.string().nullable(),
    title: z.string().nullable(),
    created_at: z.iso.datetime().nullable(),
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
              'v._id as contact_id',
              p.text('AccountId').as('account_id'),
              p.text('OwnerId').as('owner_id'),
              p.email('Email').as('email'),
              p.text('LeadSource').as('lead_source'),
              p.text('Title').as('title'),
              p.timestamp('CreatedDate').as('created_at'),
              eb.ref('v._updated_at').as('updated_at'),
              'v._deleted as is_deleted',
            ]
          })
          .as('c'),
      )
      .selectAll('c')
      .select((eb) => emailDomain(dialect, eb.ref('c.email')).as('email_domain')),
  tests: (t) => [t.unique('contact_id')],
})
