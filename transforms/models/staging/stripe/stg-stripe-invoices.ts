import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { stripeSources } from '../../sources/stripe.js'
import { fromItem } from '../envelope/from-item.js'
import { payloadReader } from '../envelope/payload-reader.js'
import { rankedVersions } from '../envelope/versions.js'
import { toMajor } from './money.js'

const timestamp = () => z.iso.datetime().nullable()
const money = () => z.number().nullable()

/**
 * One row per invoice, latest version, amounts in the major unit of its currency. The subscription
 * link is `invoice.subscription` before 2025-03-31 and `parent.subscription_details.subscription`
 * after; tax is `total − total_excluding_tax` in both shapes (legacy `tax` where that is missing).
 */
export const stgStripeInvoices = defineModel({
  name: 'stg_stripe__invoices',
  layer: 'staging',
  materialized: 'table',
  description: 'Stripe invoices, latest version each, both API shapes in one typed shape.',
  inputs: { raw: stripeSources.invoices },
  columns: z.object({
    invoice_id: z.string(),
    customer_id: z.string().nullable(),
    subscription_id: z.string().nullable(),
    /** draft | open | paid | uncollectible | void */
    status: z.string().nullable(),
    billing_reason: z.string().nullable(),
    collection_method: z.string().nullable(),
    currency: z.string().nullable(),
    created_at: timestamp(),
    finalized_at: timestamp(),
    /** When the invoice took effect: `effective_at`, else finalization, else creation. */
    invoice_at: timestamp(),
    due_at: timestamp(),
    paid_at: timestamp(),
    voided_at: timestamp(),
    marked_uncollectible_at: timestamp(),
    period_start: timestamp(),
    period_end: timestamp(),
    /** Σ line amounts: before discounts, with inclusive tax. */
    subtotal: money(),
    subtotal_excluding_tax: money(),
    discount: money(),
    tax: money(),
    total: money(),
    total_excluding_tax: money(),
    amount_due: money(),
    amount_paid: money(),
    amount_remaining: money(),
    /** The payment intent that pays it (legacy `payment_intent`, else the default invoice payment's). */
    payment_intent_id: z.string().nullable(),
    /** The discount objects as JSON text (`discount` before 2025-03-31; `discounts` when expanded), for coupon lookups. */
    discount_json: z.string().nullable(),
    discounts_json: z.string().nullable(),
    is_deleted: z.boolean(),
  }),
  query: ({ db, dialect }) =>
    db
      .with('latest', (qb) =>
        qb
          .selectFrom(rankedVersions(qb).as('v'))
          .select(['v._id', 'v.payload', 'v.is_deleted'])
          .where('v.live_rank', '=', 1),
      )
      .with('discounts', (qb) =>
        qb
          .selectFrom('latest')
          .crossJoin(
            fromItem<{ item: string | null }, 'd'>(
              dialect.jsonArrayElements(sql.ref('latest.payload'), 'total_discount_amounts', 'd', 'item'),
            ),
          )
          .select((eb) => [
            'latest._id',
            eb.fn
              .sum<number>(dialect.tryCast<number>(dialect.jsonString(eb.ref('d.item'), 'amount'), 'bigint'))
              .as('discount_minor'),
          ])
          .groupBy('latest._id'),
      )
      .selectFrom('latest')
      .leftJoin('discounts', 'discounts._id', 'latest._id')
      .select((eb) => {
        const p = payloadReader(dialect, eb.ref('latest.payload'))
        const currency = p.currency('currency')
        const major = (minor: ReturnType<typeof p.int>) => toMajor(dialect, minor, currency)
        const total = p.int('total')
        const totalExcludingTax = p.int('total_excluding_tax')
        const subtotal = p.int('subtotal')
        const tax = sql<number | null>`coalesce(${total} - ${totalExcludingTax}, ${p.int('tax')}, 0)`
        return [
          'latest._id as invoice_id',
          p.id('customer').as('customer_id'),
          eb.fn
            .coalesce(p.id('subscription'), p.text('parent.subscription_details.subscription'))
            .as('subscription_id'),
          p.text('status').as('status'),
          p.text('billing_reason').as('billing_reason'),
          p.text('collection_method').as('collection_method'),
          currency.as('currency'),
          p.timestamp('created').as('created_at'),
          p.timestamp('status_transitions.finalized_at').as('finalized_at'),
          eb.fn
            .coalesce(
              p.timestamp('effective_at'),
              p.timestamp('status_transitions.finalized_at'),
              p.timestamp('created'),
            )
            .as('invoice_at'),
          p.timestamp('due_date').as('due_at'),
          p.timestamp('status_transitions.paid_at').as('paid_at'),
          p.timestamp('status_transitions.voided_at').as('voided_at'),
          p.timestamp('status_transitions.marked_uncollectible_at').as('marked_uncollectible_at'),
          p.timestamp('period_start').as('period_start'),
          p.timestamp('period_end').as('period_end'),
          major(subtotal).as('subtotal'),
          major(sql<number | null>`coalesce(${p.int('subtotal_excluding_tax')}, ${subtotal})`).as(
            'subtotal_excluding_tax',
          ),
          major(sql<number>`coalesce(${eb.ref('discounts.discount_minor')}, 0)`).as('discount'),
          major(tax).as('tax'),
          major(total).as('total'),
          major(sql<number | null>`coalesce(${totalExcludingTax}, ${total} - ${tax})`).as(
            'total_excluding_tax',
          ),
          major(p.int('amount_due')).as('amount_due'),
          major(p.int('amount_paid')).as('amount_paid'),
          major(p.int('amount_remaining')).as('amount_remaining'),
          eb.fn
            .coalesce(p.id('payment_intent'), p.text('payments.data.0.payment.payment_intent'))
            .as('payment_intent_id'),
          p.json('discount').as('discount_json'),
          p.json('discounts').as('discounts_json'),
          'latest.is_deleted',
        ]
      }),
  tests: (t) => [
    t.unique('invoice_id'),
    t.acceptedValues('status', ['draft', 'open', 'paid', 'uncollectible', 'void']),
  ],
})
