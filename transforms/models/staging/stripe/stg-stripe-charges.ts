import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { stripeSources } from '../../sources/stripe.js'
import { payloadReader } from '../envelope/payload-reader.js'
import { rankedVersions } from '../envelope/versions.js'
import { toMajor } from './money.js'

/** One row per charge; `invoice` is on the charge only before 2025-03-31 (later, via the payment intent). */
export const stgStripeCharges = defineModel({
  name: 'stg_stripe__charges',
  layer: 'staging',
  materialized: 'table',
  description: 'Stripe charges, latest version each, amounts in the major unit.',
  inputs: { raw: stripeSources.charges },
  columns: z.object({
    charge_id: z.string(),
    customer_id: z.string().nullable(),
    invoice_id: z.string().nullable(),
    payment_intent_id: z.string().nullable(),
    /** succeeded | pending | failed */
    status: z.string().nullable(),
    currency: z.string().nullable(),
    amount: z.number().nullable(),
    amount_captured: z.number().nullable(),
    amount_refunded: z.number().nullable(),
    failure_code: z.string().nullable(),
    created_at: z.iso.datetime().nullable(),
    is_deleted: z.boolean(),
  }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(rankedVersions(db).as('v'))
      .select((eb) => {
        const p = payloadReader(dialect, eb.ref('v.payload'))
        const currency = p.currency('currency')
        return [
          'v._id as charge_id',
          p.id('customer').as('customer_id'),
          p.id('invoice').as('invoice_id'),
          p.id('payment_intent').as('payment_intent_id'),
          p.text('status').as('status'),
          currency.as('currency'),
          toMajor(dialect, p.int('amount'), currency).as('amount'),
          toMajor(dialect, p.int('amount_captured'), currency).as('amount_captured'),
          toMajor(dialect, p.int('amount_refunded'), currency).as('amount_refunded'),
          p.text('failure_code').as('failure_code'),
          p.timestamp('created').as('created_at'),
          'v.is_deleted',
        ]
      })
      .where('v.live_rank', '=', 1),
  tests: (t) => [t.unique('charge_id'), t.acceptedValues('status', ['succeeded', 'pending', 'failed'])],
})
