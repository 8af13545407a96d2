import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { stripeSources } from '../../sources/stripe.js'
import { payloadReader } from '../envelope/payload-reader.js'
import { rankedVersions } from '../envelope/versions.js'
import { toMajor } from './money.js'

export const stgStripeCoupons = defineModel({
  name: 'stg_stripe__coupons',
  layer: 'staging',
  materialized: 'view',
  description: 'Stripe coupons, latest version each; `amount_off` in the major unit.',
  inputs: { raw: stripeSources.coupons },
  columns: z.object({
    coupon_id: z.string(),
    name: z.string().nullable(),
    /** once | repeating | forever */
    duration: z.string().nullable(),
    duration_in_months: z.int().nullable(),
    percent_off: z.number().nullable(),
    amount_off: z.number().nullable(),
    currency: z.string().nullable(),
    is_valid: z.boolean().nullable(),
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
          'v._id as coupon_id',
          p.text('name').as('name'),
          p.text('duration').as('duration'),
          p.int('duration_in_months').as('duration_in_months'),
          p.number('percent_off').as('percent_off'),
          toMajor(dialect, p.int('amount_off'), currency).as('amount_off'),
          currency.as('currency'),
          p.bool('valid').as('is_valid'),
          p.timestamp('created').as('created_at'),
          'v.is_deleted',
        ]
      })
      .where('v.live_rank', '=', 1),
  tests: (t) => [t.unique('coupon_id'), t.acceptedValues('duration', ['once', 'repeating', 'forever'])],
})
