import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { stripeSources } from '../../sources/stripe.js'
import { payloadReader } from '../envelope/payload-reader.js'
import { rankedVersions } from '../envelope/versions.js'
import { toMajor } from './money.js'

export const stgStripeCreditNotes = defineModel({
  name: 'stg_stripe__credit_notes',
  layer: 'staging',
  materialized: 'table',
  description: 'Stripe credit notes, latest version each, amounts in the major unit.',
  inputs: { raw: stripeSources.creditNotes },
  columns: z.object({
    credit_note_id: z.string(),
    invoice_id: z.string().nullable(),
    customer_id: z.string().nullable(),
    /** issued | void */
    status: z.string().nullable(),
    /** pre_payment | post_payment */
    credit_note_type: z.string().nullable(),
    reason: z.string().nullable(),
    currency: z.string().nullable(),
    amount: z.number().nullable(),
    total: z.number().nullable(),
    created_at: z.iso.datetime().nullable(),
    voided_at: z.iso.datetime().nullable(),
    is_deleted: z.boolean(),
  }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(rankedVersions(db).as('v'))
      .select((eb) => {
        const p = payloadReader(dialect, eb.ref('v.payload'))
        const currency = p.currency('currency')
        return [
          'v._id as credit_note_id',
          p.id('invoice').as('invoice_id'),
          p.id('customer').as('customer_id'),
          p.text('status').as('status'),
          p.text('type').as('credit_note_type'),
          p.text('reason').as('reason'),
          currency.as('currency'),
          toMajor(dialect, p.int('amount'), currency).as('amount'),
          toMajor(dialect, p.int('total'), currency).as('total'),
          p.timestamp('created').as('created_at'),
          p.timestamp('voided_at').as('voided_at'),
          'v.is_deleted',
        ]
      })
      .where('v.live_rank', '=', 1),
  tests: (t) => [t.unique('credit_note_id')],
})
