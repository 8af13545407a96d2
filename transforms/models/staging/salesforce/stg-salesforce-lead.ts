import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { rawSalesforceLead } from '../../sources/salesforce.js'
import { emailDomain, websiteDomain } from '../records/domains.js'
import { rankedVersions } from '../records/latest-versions.js'
import { payloadFields } from '../records/payload-fields.js'

/**
 * Salesforce leads, latest version each. Salesforce keeps no history of a lead's status, so the
 * lifecycle takes from a lead only its creation and its conversion. UTM fields are the
 * conventional custom fields `UTM_Source__c`, `UTM_Medium__c`, `UTM_Campaign__c` (NULL when absent).
 */
export const stgSalesforceLead = defineModel({
  name: 'stg_salesforce__lead',
  layer: 'staging',
  materialized: 'table',
  description:
    'One row per Salesforce lead, latest version, with its conversion (account, contact, opportunity).',
  inputs: { raw: rawSalesforceLead },
  columns: z.object({
    lead_id: z.string(),
    status: z.string().nullable(),
    lead_source: z.string().nullable(),
    owner_id: z.string().nullable(),
    company: z.string().nullable(),
    email: z.string().nullable(),
    email_domain: z.string().nullable(),
    website_domain: z.string().nullable(),
    industry: z.string().nullable(),
    number_of_employees: z.int().nullable(),
    country: z.string().nullable(),
    is_converted: z.boolean(),
    converted_date: z.iso.date().nullable(),
    converted_account_id: z.string().nullable(),
    converted_contact_id: z.string().nullable(),
    converted_opportunity_id: z.string().nullable(),
    utm_source: z.string().nullable(),
    utm_medium: z.string().nullable(),
    utm_campaign: z.string().nullable(),
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
              'v._id as lead_id',
              p.text('Status').as('status'),
              p.text('LeadSource').as('lead_source'),
              p.text('OwnerId').as('owner_id'),
              p.text('Company').as('company'),
              p.email('Email').as('email'),
              p.text('Website').as('website'),
              p.text('Industry').as('industry'),
              p.integer('NumberOfEmployees').as('number_of_employees'),
              p.text('Country').as('country'),
              eb.fn.coalesce(p.boolean('IsConverted'), eb.lit(false)).as('is_converted'),
              p.date('ConvertedDate').as('converted_date'),
              p.text('ConvertedAccountId').as('converted_account_id'),
              p.text('ConvertedContactId').as('converted_contact_id'),
              p.text('ConvertedOpportunityId').as('converted_opportunity_id'),
              p.text('UTM_Source__c').as('utm_source'),
              p.text('UTM_Medium__c').as('utm_medium'),
              p.text('UTM_Campaign__c').as('utm_campaign'),
              p.timestamp('CreatedDate').as('created_at'),
              eb.ref('v._updated_at').as('updated_at'),
              'v._deleted as is_deleted',
            ]
          })
          .as('l'),
      )
      .select((eb) => [
        'l.lead_id',
        'l.status',
        'l.lead_source',
        'l.owner_id',
        'l.company',
        'l.email',
        emailDomain(dialect, eb.ref('l.email')).as('email_domain'),
        websiteDomain(dialect, eb.ref('l.website')).as('website_domain'),
        'l.industry',
        'l.number_of_employees',
        'l.country',
        'l.is_converted',
        'l.converted_date',
        'l.converted_account_id',
        'l.converted_contact_id',
        'l.converted_opportunity_id',
        'l.utm_source',
        'l.utm_medium',
        'l.utm_campaign',
        'l.created_at',
        'l.updated_at',
        'l.is_deleted',
      ]),
  tests: (t) => [t.unique('lead_id')],
})
