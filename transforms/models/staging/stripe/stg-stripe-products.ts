import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { stripeSources } from '../../sources/stripe.js'
import { payloadReader } from '../envelope/payload-reader.js'
import { rankedVersions } from '../envelope/versions.js'

export const stgStripeProducts = defineModel({
  name: 'stg_stripe__products',
  layer: 'staging',
  materialized: 'view',
  description: 'Stripe products, latest version each.',
  inputs: { raw: stripeSources.products },
  columns: z.object({
    product_id: z.string(),
    name: z.string().nullable(),
    is_active: z.boolean().nullable(),
    created_at: z.iso.datetime().nullable(),
    is_deleted: z.boolean(),
  }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(rankedVersions(db).as('v'))
      .select((eb) => {
        const p = payloadReader(dialect, eb.ref('v.payload'))
        return [
          'v._id as product_id',
          p.text('name').as('name'),
          p.bool('active').as('is_active'),
          p.timestamp('created').as('created_at'),
          'v.is_deleted',
        ]
      })
      .where('v.live_rank', '=', 1),
  tests: (t) => [t.unique('product_id')],
})
