import { z } from 'zod'
import { defineModel } from '../../framework/index.js'
import { stripeSources } from '../sources/stripe.js'
import { rankedVersions } from '../staging/records/latest-versions.js'
import { payloadFields } from '../staging/records/payload-fields.js'

/**
 * The CRM account a billing customer names itself: Stripe customer metadata written by a CRM
 * integration (`salesforce_account_id`, `crm_account_id` or `hubspot_company_id`, first found).
 * The identity takes it after the governed account map and before domain matching.
 */
export const intBillingCustomerCrmIds = defineModel({
  name: 'int_billing_customer_crm_ids',
  layer: 'intermediate',
  materialized: 'table',
  description: 'Billing customers whose metadata names their CRM account.',
  inputs: { raw: stripeSources.customers },
  columns: z.object({ billing_customer_id: z.string(), crm_account_id: z.string() }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(
        db
          .selectFrom(rankedVersions(db).as('v'))
          .where('v.version', '=', 1)
          .select((eb) => {
            const p = payloadFields(dialect, eb.ref('v.payload'))
            return [
              'v._id as billing_customer_id',
              eb.fn
                .coalesce(
                  p.text(['metadata', 'salesforce_account_id']),
                  p.text(['metadata', 'crm_account_id']),
                  p.text(['metadata', 'hubspot_company_id']),
                )
                .as('crm_account_id'),
            ]
          })
          .as('m'),
      )
      .where('m.crm_account_id', 'is not', null)
      .select((eb) => ['m.billing_customer_id', eb.ref('m.crm_account_id').$notNull().as('crm_account_id')]),
  tests: (t) => [t.unique('billing_customer_id')],
})
