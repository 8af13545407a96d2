import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { stripeSources } from '../../sources/stripe.js'
import { payloadReader } from '../envelope/payload-reader.js'
import { rankedVersions } from '../envelope/versions.js'
import { toMajor } from './money.js'

export const stgStripeRefunds = defineModel({
  name: 'stg_stripe__refunds',
  layer: 'staging',
  materialized: 'table',
  description: 'Stripe refunds, latest version each, amounts in the major unit.',
  inputs: { raw: stripeSources.refunds },
  columns: z.object({
    refund_id: z.string(),
    charge_id: z.string().nullable(),
    payment_intent_id: z.string().nullable(),
    /** pending | requires_action | succeeded | failed | canceled */
    status: z.string().nullable(),
    reason: z.string().nullable(),
    currency: z.string().nullable(),
    amount: z.number().nullable(),
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
          'v._id as refund_id',
          p.id('charge').as('charge_id'),
          p.id('payment_intent').as('payment_intent_id'),
          p.text('status').as('status'),
          p.text('reason').as('reason'),
          currency.as('currency'),
          toMajor(dialect, p.int('amount'), currency).as('amount'),
          p.timestamp('created').as('created_at'),
          'v.is_deleted',
        ]
      })
      .where('v.live_rank', '=', 1),
  tests: (t) => [t.unique('refund_id')],
})
