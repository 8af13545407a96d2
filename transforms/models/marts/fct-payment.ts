import { sql } from 'kysely'
import { defineModel } from '../../framework/index.js'
import { intFxRatesDaily } from '../intermediate/int-fx-rates-daily.js'
import { perPolicy } from '../per-policy.js'
import { stgStripeCharges } from '../staging/stripe/stg-stripe-charges.js'
import { stgStripeCustomers } from '../staging/stripe/stg-stripe-customers.js'
import { stgStripeInvoices } from '../staging/stripe/stg-stripe-invoices.js'
import { stgStripeRefunds } from '../staging/stripe/stg-stripe-refunds.js'
import { FctPayment } from './contracts.js'

/**
 * Money that moved: charges and refunds, one row each, converted at the payment day's rate.
 * `net_amount` is cash: + for a succeeded charge, − for a succeeded refund, 0 otherwise. A charge
 * names its invoice before 2025-03-31; later its payment intent leads to the invoice that it pays.
 */
export const fctPayment = perPolicy((policy) =>
  defineModel({
    name: 'fct_payment',
    layer: 'marts',
    materialized: 'table',
    description: `Stripe charges and refunds in native and ${policy.options.reportingCurrency}.`,
    inputs: {
      charges: stgStripeCharges,
      refunds: stgStripeRefunds,
      invoices: stgStripeInvoices,
      fx: intFxRatesDaily(policy),
    },
    columns: FctPayment,
    query: ({ db, dialect }) => {
      const day = (ts: unknown) => dialect.toDate(sql<string>`${ts}`)
      return db
        .with('charge_rows', (qb) =>
          qb
            .selectFrom('charges as c')
            .leftJoin('invoices as i', 'i.payment_intent_id', 'c.payment_intent_id')
            .select((eb) => [
              'c.charge_id as payment_id',
              sql<string>`'charge'`.as('kind'),
              'c.customer_id',
              eb.fn.coalesce('c.invoice_id', 'i.invoice_id').as('invoice_id'),
              'c.created_at',
              sql<string>`CASE WHEN ${eb.ref('c.status')} IN ('succeeded', 'failed') THEN ${eb.ref('c.status')} ELSE 'pending' END`.as(
                'status',
              ),
              'c.currency',
              'c.amount',
              sql<number>`1`.as('direction'),
            ])
            .where('c.is_deleted', '=', false),
        )
        .with('refund_rows', (qb) =>
          qb
            .selectFrom('refunds as r')
            .leftJoin('charges as c', 'c.charge_id', 'r.charge_id')
            .leftJoin('invoices as i', 'i.payment_intent_id', 'c.payment_intent_id')
            .select((eb) => [
              'r.refund_id as payment_id',
              sql<string>`'refund'`.as('kind'),
              'c.customer_id',
              eb.fn.coalesce('c.invoice_id', 'i.invoice_id').as('invoice_id'),
              'r.created_at',
              sql<string>`CASE WHEN ${eb.ref('r.status')} = 'succeeded' THEN 'succeeded' WHEN ${eb.ref('r.status')} IN ('failed', 'canceled') THEN 'failed' ELSE 'pending' END`.as(
                'status',
              ),
              eb.fn.coalesce('r.currency', 'c.currency').as('currency'),
              'r.amount',
              sql<number>`-1`.as('direction'),
            ])
            .where('r.is_deleted', '=', false),
        )
        .selectFrom((qb) =>
          qb.selectFrom('charge_rows').selectAll().unionAll(qb.selectFrom('refund_rows').selectAll()).as('p'),
        )
        .leftJoin('fx', (join) =>
          join
            .onRef('fx.currency', '=', 'p.currency')
            .on((eb) => eb('fx.rate_date', '=', day(eb.ref('p.created_at')))),
        )
        .select((eb) => {
          const amount = sql<number>`coalesce(${eb.ref('p.amount')}, 0)`
          return [
            'p.payment_id',
            'p.kind',
            'p.customer_id',
            'p.invoice_id',
            day(eb.ref('p.created_at')).as('payment_date'),
            'p.status',
            eb.ref('p.currency').$notNull().as('currency'),
            amount.as('amount_native'),
            sql<number>`${amount} * ${eb.ref('fx.rate')}`.as('amount'),
            sql<number>`CASE WHEN ${eb.ref('p.status')} = 'succeeded' THEN ${eb.ref('p.direction')} * ${amount} * ${eb.ref('fx.rate')} ELSE 0 END`.as(
              'net_amount',
            ),
          ]
        })
    },
    tests: (t) => [
      t.unique('payment_id'),
      t.notNull('payment_id'),
      t.acceptedValues('kind', ['charge', 'refund']),
      t.acceptedValues('status', ['succeeded', 'failed', 'pending']),
      t.relationships('customer_id', stgStripeCustomers, 'customer_id'),
      t.relationships('invoice_id', stgStripeInvoices, 'invoice_id', { severity: 'warn' }),
    ],
  }),
)
