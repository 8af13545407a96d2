import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { stripeSources } from '../../sources/stripe.js'
import { payloadReader } from '../envelope/payload-reader.js'
import { rankedVersions } from '../envelope/versions.js'
import { toMajor } from './money.js'

/** One row per price; `unit_amount` in the major unit (the decimal form keeps sub-cent prices). */
export const stgStripePrices = defineModel({
  name: 'stg_stripe__prices',
  layer: 'staging',
  materialized: 'view',
  description: 'Stripe prices, latest version each, amounts in the major unit.',
  inputs: { raw: stripeSources.prices },
  columns: z.object({
    price_id: z.string(),
    product_id: z.string().nullable(),
    currency: z.string().nullable(),
    /** one_time | recurring */
    price_type: z.string().nullable(),
    /** per_unit | tiered */
    billing_scheme: z.string().nullable(),
    unit_amount: z.number().nullable(),
    /** day | week | month | year (recurring prices) */
    billing_interval: z.string().nullable(),
    interval_count: z.int().nullable(),
    /** licensed | metered (recurring prices; Stripe's default is licensed) */
    usage_type: z.string().nullable(),
    /** inclusive | exclusive | unspecified */
    tax_behavior: z.string().nullable(),
    nickname: z.string().nullable(),
    is_active: z.boolean().nullable(),
    created_at: z.iso.datetime().nullable(),
    is_deleted: z.boolean(),
  }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(rankedVersions(db).as('v'))
      .select((eb) => {
        const p = payloadReader(dialect, eb.ref('v.payload'))
        const currency = p.currency('currency')
        const recurring = sql<boolean>`${p.text('type')} = 'recurring'`
        return [
          'v._id as price_id',
          p.id('product').as('product_id'),
          currency.as('currency'),
          p.text('type').as('price_type'),
          p.text('billing_scheme').as('billing_scheme'),
          toMajor(
            dialect,
            eb.fn.coalesce(p.number('unit_amount_decimal'), p.number('unit_amount')),
            currency,
          ).as('unit_amount'),
          p.text('recurring.interval').as('billing_interval'),
          p.int('recurring.interval_count').as('interval_count'),
          sql<
            string | null
          >`CASE WHEN ${recurring} THEN coalesce(${p.text('recurring.usage_type')}, 'licensed') END`.as(
            'usage_type',
          ),
          p.text('tax_behavior').as('tax_behavior'),
          p.text('nickname').as('nickname'),
          p.bool('active').as('is_active'),
          p.timestamp('created').as('created_at'),
          'v.is_deleted',
        ]
      })
      .where('v.live_rank', '=', 1),
  tests: (t) => [
    t.unique('price_id'),
    t.acceptedValues('billing_interval', ['day', 'week', 'month', 'year']),
    t.acceptedValues('usage_type', ['licensed', 'metered']),
  ],
})
