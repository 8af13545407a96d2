import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { rawHubspotCompanies } from '../../sources/hubspot.js'
import { websiteDomain } from '../records/domains.js'
import { rankedVersions } from '../records/latest-versions.js'
import { payloadFields } from '../records/payload-fields.js'

const props = (name: string) => ['properties', name]

/** HubSpot companies, latest version each; archived ones are kept and flagged. */
export const stgHubspotCompanies = defineModel({
  name: 'stg_hubspot__companies',
  layer: 'staging',
  materialized: 'table',
  description:
    'One row per HubSpot company, latest version; salesforce_account_id links the ones synced with Salesforce.',
  inputs: { raw: rawHubspotCompanies },
  columns: z.object({
    company_id: z.string(),
    company_name: z.string().nullable(),
    domain: z.string().nullable(),
    industry: z.string().nullable(),
    number_of_employees: z.int().nullable(),
    annual_revenue: z.number().nullable(),
    country: z.string().nullable(),
    lifecycle_stage: z.string().nullable(),
    owner_id: z.string().nullable(),
    salesforce_account_id: z.string().nullable(),
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
              'v._id as company_id',
              p.text(props('name')).as('company_name'),
              eb.fn.coalesce(p.text(props('domain')), p.text(props('website'))).as('website'),
              p.text(props('industry')).as('industry'),
              p.integer(props('numberofemployees')).as('number_of_employees'),
              p.number(props('annualrevenue')).as('annual_revenue'),
              p.text(props('country')).as('country'),
              sql<string | null>`lower(${p.text(props('lifecyclestage'))})`.as('lifecycle_stage'),
              p.text(props('hubspot_owner_id')).as('owner_id'),
              p.text(props('salesforceaccountid')).as('salesforce_account_id'),
              eb.fn.coalesce(p.timestamp('createdAt'), p.timestamp(props('createdate'))).as('created_at'),
              eb.ref('v._updated_at').as('updated_at'),
              'v._deleted as is_deleted',
            ]
          })
          .as('c'),
      )
      .select((eb) => [
        'c.company_id',
        'c.company_name',
        websiteDomain(dialect, eb.ref('c.website')).as('domain'),
        'c.industry',
        'c.number_of_employees',
        'c.annual_revenue',
        'c.country',
        'c.lifecycle_stage',
        'c.owner_id',
        'c.salesforce_account_id',
        'c.created_at',
        'c.updated_at',
        'c.is_deleted',
      ]),
  tests: (t) => [t.unique('company_id')],
})
