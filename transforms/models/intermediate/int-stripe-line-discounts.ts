import { type Expression, sql } from 'kysely'
import { z } from 'zod'
import type { SqlDialect } from '../../../core/sql/dialect.js'
import { defineModel } from '../../framework/index.js'
import { arrayElements } from '../staging/envelope/from-item.js'
import { toMajor } from '../staging/stripe/money.js'
import { stgStripeCoupons } from '../staging/stripe/stg-stripe-coupons.js'
import { stgStripeInvoiceLineItems } from '../staging/stripe/stg-stripe-invoice-line-items.js'
import { stgStripeInvoices } from '../staging/stripe/stg-stripe-invoices.js'
import { stgStripeSubscriptions } from '../staging/stripe/stg-stripe-subscriptions.js'

/** The coupon of a discount object: `coupon` (object or id) before 2025-03-31, `source.coupon` after. */
function couponOf(dialect: SqlDialect, json: Expression<string | null>, prefix = '') {
  const text = (path: string) => dialect.jsonString(json, `${prefix}${path}`)
  return sql<
    string | null
  >`coalesce(${text('coupon.id')}, ${text('coupon')}, ${text('source.coupon.id')}, ${text('source.coupon')})`
}

/**
 * Each line's discount amounts with the coupon behind them, so a policy can deduct only some
 * coupons (`forever` ones, as Stripe's analytics do). Discounts name their coupon only where an
 * export expands them (legacy `discount` objects, expanded `discounts`); elsewhere the coupon is
 * unknown (NULL).
 */
export const intStripeLineDiscounts = defineModel({
  name: 'int_stripe__line_discounts',
  layer: 'intermediate',
  materialized: 'table',
  description: 'Invoice line discount amounts with their discount and coupon.',
  inputs: {
    lines: stgStripeInvoiceLineItems,
    subscriptions: stgStripeSubscriptions,
    invoices: stgStripeInvoices,
    coupons: stgStripeCoupons,
  },
  columns: z.object({
    line_key: z.string(),
    discount_id: z.string().nullable(),
    amount: z.number(),
    coupon_id: z.string().nullable(),
    /** once | repeating | forever; NULL when the coupon is unknown. */
    coupon_duration: z.string().nullable(),
  }),
  query: ({ db, dialect }) => {
    const single = (table: 'subscriptions' | 'invoices') =>
      db
        .selectFrom(table)
        .select((eb) => [
          dialect.jsonString(eb.ref(`${table}.discount_json`), 'id').as('discount_id'),
          couponOf(dialect, eb.ref(`${table}.discount_json`)).as('coupon_id'),
        ])
    const listed = (table: 'subscriptions' | 'invoices') =>
      db
        .selectFrom(table)
        .crossJoin(arrayElements(dialect, sql.ref(`${table}.discounts_json`), 'e', 'item'))
        .select((eb) => [
          dialect.jsonString(eb.ref('e.item'), 'id').as('discount_id'),
          couponOf(dialect, eb.ref('e.item')).as('coupon_id'),
        ])
    const onLines = db
      .selectFrom('lines')
      .crossJoin(arrayElements(dialect, sql.ref('lines.discount_amounts_json'), 'e', 'item'))
      .select((eb) => [
        dialect.jsonString(eb.ref('e.item'), 'discount.id').as('discount_id'),
        couponOf(dialect, eb.ref('e.item'), 'discount.').as('coupon_id'),
      ])
    return db
      .with('known', (qb) =>
        qb
          .selectFrom(
            single('subscriptions')
              .unionAll(listed('subscriptions'))
              .unionAll(single('invoices'))
              .unionAll(listed('invoices'))
              .unionAll(onLines)
              .as('d'),
          )
          .select((eb) => ['d.discount_id', eb.fn.max('d.coupon_id').as('coupon_id')])
          .where('d.discount_id', 'is not', null)
          .where('d.coupon_id', 'is not', null)
          .groupBy('d.discount_id'),
      )
      .selectFrom('lines')
      .crossJoin(arrayElements(dialect, sql.ref('lines.discount_amounts_json'), 'e', 'item'))
      .leftJoin('known', (join) =>
        join.on((eb) =>
          eb(
            'known.discount_id',
            '=',
            eb.fn.coalesce(
              dialect.jsonString(eb.ref('e.item'), 'discount'),
              dialect.jsonString(eb.ref('e.item'), 'discount.id'),
            ),
          ),
        ),
      )
      .leftJoin('coupons', 'coupons.coupon_id', 'known.coupon_id')
      .select((eb) => [
        'lines.line_key',
        eb.fn
          .coalesce(
            dialect.jsonString(eb.ref('e.item'), 'discount'),
            dialect.jsonString(eb.ref('e.item'), 'discount.id'),
          )
          .as('discount_id'),
        sql<number>`coalesce(${toMajor(
          dialect,
          dialect.tryCast<number>(dialect.jsonString(eb.ref('e.item'), 'amount'), 'bigint'),
          eb.ref('lines.currency'),
        )}, 0)`.as('amount'),
        'known.coupon_id',
        'coupons.duration as coupon_duration',
      ])
  },
})
