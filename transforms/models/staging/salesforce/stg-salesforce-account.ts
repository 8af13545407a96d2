import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { rawSalesforceAccount } from '../../sources/salesforce.js'
import { websiteDomain } from '../records/domains.js'
import { rankedVersions } from '../records/latest-versions.js'
import { payloadFields } from '../records/payload-fields.js'

/** Salesforce accounts, latest version each; deleted (and merged) accounts are kept and flagged. */
export const stgSalesforceAccount = defineModel({
  name: 'stg_salesforce__account',
  layer: 'staging',
  materialized: 'table',
  description:
    'One row per Salesforce account, latest version. A merged account is deleted and names its survivor in master_record_id.',
  inputs: { raw: rawSalesforceAccount },
  columns: z.object({
    account_id: z.string(),
    account_name: z.string().nullable(),
    account_type: z.string().nullable(),
    industry: z.string().nullable(),
    annual_revenue: z.number().nullable(),
    number_of_employees: z.int().nullable(),
    parent_account_id: z.string().nullable(),
    master_record_id: z.string().nullable(),
    owner_id: z.string().nullable(),
    account_source: z.string().nullable(),
    billing_country: z.string().nullable(),
    website: z.string().nullable(),
    domain: z.string().nullable(),
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
              'v._id as account_id',
              p.text('Name').as('account_name'),
              p.text('Type').as('account_type'),
              p.text('Industry').as('industry'),
              p.number('AnnualRevenue').as('annual_revenue'),
              p.integer('NumberOfEmployees').as('number_of_employees'),
              p.text('ParentId').as('parent_account_id'),
              p.text('MasterRecordId').as('master_record_id'),
              p.text('OwnerId').as('owner_id'),
              p.text('AccountSource').as('account_source'),
              p.text('BillingCountry').as('billing_country'),
              p.text('Website').as('website'),
              p.timestamp('CreatedDate').as('created_at'),
              eb.ref('v._updated_at').as('updated_at'),
              'v._deleted as is_deleted',
            ]
          })
          .as('a'),
      )
      .selectAll('a')
      .select((eb) => websiteDomain(dialect, eb.ref('a.website')).as('domain')),
  tests: (t) => [t.unique('account_id')],
})
