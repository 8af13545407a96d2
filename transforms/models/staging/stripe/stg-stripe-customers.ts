import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { stripeSources } from '../../sources/stripe.js'
import { payloadReader } from '../envelope/payload-reader.js'
import { rankedVersions } from '../envelope/versions.js'

/** One row per Stripe customer: its latest version, deleted customers flagged and kept. */
export const stgStripeCustomers = defineModel({
  name: 'stg_stripe__customers',
  layer: 'staging',
  materialized: 'table',
  description: 'Stripe customers, latest version each; deleted customers keep their last fields.',
  inputs: { raw: stripeSources.customers },
  columns: z.object({
    customer_id: z.string(),
    email: z.string().nullable(),
    /** Lower-cased part after the @, for matching CRM accounts by domain. */
    email_domain: z.string().nullable(),
    name: z.string().nullable(),
    /** ISO code, upper case; NULL until the customer is first billed. */
    currency: z.string().nullable(),
    country: z.string().nullable(),
    created_at: z.iso.datetime().nullable(),
    delinquent: z.boolean().nullable(),
    is_deleted: z.boolean(),
  }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(rankedVersions(db).as('v'))
      .select((eb) => {
        const p = payloadReader(dialect, eb.ref('v.payload'))
        const email = p.text('email')
        return [
          'v._id as customer_id',
          email.as('email'),
          sql<string | null>`nullif(lower(trim(split_part(${email}, '@', 2))), '')`.as('email_domain'),
          p.text('name').as('name'),
          p.currency('currency').as('currency'),
          p.text('address.country').as('country'),
          p.timestamp('created').as('created_at'),
          p.bool('delinquent').as('delinquent'),
          'v.is_deleted',
        ]
      })
      .where('v.live_rank', '=', 1),
  tests: (t) => [t.unique('customer_id')],
})
