import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { rawHubspotContacts } from '../../sources/hubspot.js'
import { emailDomain } from '../records/domains.js'
import { rankedVersions } from '../records/latest-versions.js'
import { payloadFields } from '../records/payload-fields.js'

const props = (name: string) => ['properties', name]

/**
 * HubSpot contacts, latest version each; archived contacts are kept and flagged. Lifecycle entry
 * dates come from the stage-dated properties — `hs_lifecyclestage_<stage>_date` and the newer
 * `hs_v2_date_entered_<stage>`, the earlier of the two when both exist. `lifecycle_stage` is the
 * current value only: HubSpot moves it forward and never back, so it goes stale (a churned
 * customer stays `customer`); nothing counts from it.
 */
export const stgHubspotContacts = defineModel({
  name: 'stg_hubspot__contacts',
  layer: 'staging',
  materialized: 'table',
  description:
    'One row per HubSpot contact, latest version, with the date it first entered each lifecycle stage.',
  inputs: { raw: rawHubspotContacts },
  columns: z.object({
    contact_id: z.string(),
    email: z.string().nullable(),
    email_domain: z.string().nullable(),
    company_name: z.string().nullable(),
    company_id: z.string().nullable(),
    lifecycle_stage: z.string().nullable(),
    original_source: z.string().nullable(),
    original_source_data_1: z.string().nullable(),
    original_source_data_2: z.string().nullable(),
    first_url: z.string().nullable(),
    salesforce_lead_id: z.string().nullable(),
    salesforce_contact_id: z.string().nullable(),
    owner_id: z.string().nullable(),
    became_lead_at: z.iso.datetime().nullable(),
    became_mql_at: z.iso.datetime().nullable(),
    became_sql_at: z.iso.datetime().nullable(),
    became_opportunity_at: z.iso.datetime().nullable(),
    became_customer_at: z.iso.datetime().nullable(),
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
            const entered = (stage: string, as: string) => [
              p.timestamp(props(`hs_lifecyclestage_${stage}_date`)).as(`${as}_legacy`),
              p.timestamp(props(`hs_v2_date_entered_${stage}`)).as(`${as}_v2`),
            ]
            return [
              'v._id as contact_id',
              p.email(props('email')).as('email'),
              p.text(props('company')).as('company_name'),
              eb.fn
                .coalesce(
                  p.text(props('associatedcompanyid')),
                  p.text(['associations', 'companies', 'results', 0, 'id']),
                )
                .as('company_id'),
              sql<string | null>`lower(${p.text(props('lifecyclestage'))})`.as('lifecycle_stage'),
              sql<string | null>`upper(${p.text(props('hs_analytics_source'))})`.as('original_source'),
              p.text(props('hs_analytics_source_data_1')).as('original_source_data_1'),
              p.text(props('hs_analytics_source_data_2')).as('original_source_data_2'),
              p.text(props('hs_analytics_first_url')).as('first_url'),
              p.text(props('salesforceleadid')).as('salesforce_lead_id'),
              p.text(props('salesforcecontactid')).as('salesforce_contact_id'),
              p.text(props('hubspot_owner_id')).as('owner_id'),
              ...entered('lead', 'lead'),
              ...entered('marketingqualifiedlead', 'mql'),
              ...entered('salesqualifiedlead', 'sql'),
              ...entered('opportunity', 'opportunity'),
              ...entered('customer', 'customer'),
              eb.fn.coalesce(p.timestamp('createdAt'), p.timestamp(props('createdate'))).as('created_at'),
              eb.ref('v._updated_at').as('updated_at'),
              'v._deleted as is_deleted',
            ]
          })
          .as('c'),
      )
      .select((eb) => {
        // The earlier of the two spellings; `least` skips NULLs on DuckDB only, hence the coalesce.
        const first = (as: string) => {
          const [legacy, v2] = [sql.ref(`c.${as}_legacy`), sql.ref(`c.${as}_v2`)]
          return sql<string | null>`coalesce(least(${legacy}, ${v2}), ${legacy}, ${v2})`
        }
        return [
          'c.contact_id',
          'c.email',
          emailDomain(dialect, eb.ref('c.email')).as('email_domain'),
          'c.company_name',
          'c.company_id',
          'c.lifecycle_stage',
          'c.original_source',
          'c.original_source_data_1',
          'c.original_source_data_2',
          'c.first_url',
          'c.salesforce_lead_id',
          'c.salesforce_contact_id',
          'c.owner_id',
          first('lead').as('became_lead_at'),
          first('mql').as('became_mql_at'),
          first('sql').as('became_sql_at'),
          first('opportunity').as('became_opportunity_at'),
          first('customer').as('became_customer_at'),
          'c.created_at',
          'c.updated_at',
          'c.is_deleted',
        ]
      }),
  tests: (t) => [t.unique('contact_id')],
})
