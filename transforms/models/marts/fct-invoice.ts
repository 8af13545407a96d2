import { sql } from 'kysely'
import { defineModel } from '../../framework/index.js'
import { intFxRatesDaily } from '../intermediate/int-fx-rates-daily.js'
import { perPolicy } from '../per-policy.js'
import { stgStripeInvoices } from '../staging/stripe/stg-stripe-invoices.js'
import { FctInvoice } from './contracts.js'
import { fctInvoiceLine } from './fct-invoice-line.js'
import { converted, native } from './fx.js'
import { invoiceTotalsMatchLines } from './invoice-tests.js'

/**
 * Invoices, drafts included (`is_finalized` tells them apart: finalized and standing means open,
 * paid or uncollectible). Money excludes tax; the reporting-currency columns use the rate of the
 * invoice date.
 */
export const fctInvoice = perPolicy((policy) =>
  defineModel({
    name: 'fct_invoice',
    layer: 'marts',
    materialized: 'table',
    description: `Stripe invoices, totals excluding tax, in native and ${policy.options.reportingCurrency}.`,
    inputs: { invoices: stgStripeInvoices, fx: intFxRatesDaily(policy) },
    columns: FctInvoice,
    query: ({ db, dialect }) =>
      db
        .selectFrom('invoices as i')
        .leftJoin('fx', (join) =>
          join
            .onRef('fx.currency', '=', 'i.currency')
            .on((eb) => eb('fx.rate_date', '=', dialect.toDate(sql<string>`${eb.ref('i.invoice_at')}`))),
        )
        .select((eb) => [
          'i.invoice_id',
          eb.ref('i.customer_id').$notNull().as('customer_id'),
          'i.subscription_id',
          dialect.toDate(sql<string>`${eb.ref('i.invoice_at')}`).as('invoice_date'),
          eb.ref('i.status').$notNull().as('status'),
          sql<boolean>`(${eb.ref('i.status')} IN ('open', 'paid', 'uncollectible'))`.as('is_finalized'),
          eb.ref('i.currency').$notNull().as('currency'),
          native(eb.ref('i.subtotal_excluding_tax')).as('subtotal_native'),
          native(eb.ref('i.discount')).as('discount_native'),
          native(eb.ref('i.tax')).as('tax_native'),
          native(eb.ref('i.total_excluding_tax')).as('total_native'),
          converted(eb.ref('i.total_excluding_tax'), eb.ref('fx.rate')).as('total_excluding_tax'),
          converted(eb.ref('i.tax'), eb.ref('fx.rate')).as('tax'),
          converted(eb.ref('i.amount_paid'), eb.ref('fx.rate')).as('amount_paid'),
        ])
        .where('i.is_deleted', '=', false)
        .where('i.customer_id', 'is not', null),
    tests: (t) => [
      t.unique('invoice_id'),
      t.notNull('invoice_id'),
      t.notNull('customer_id'),
      t.acceptedValues('status', ['draft', 'open', 'paid', 'uncollectible', 'void']),
      t.expression('total_is_subtotal_less_discounts', (eb) =>
        eb(
          sql`abs(${eb.ref('subtotal_native')} - ${eb.ref('discount_native')} - ${eb.ref('total_native')})`,
          '<',
          0.000001,
        ),
      ),
      t.reconciles('totals_reconcile_to_lines', {
        value: (eb) => eb.fn.sum('total_excluding_tax'),
        against: fctInvoiceLine(policy),
        againstValue: (eb) => eb.fn.sum('amount'),
        tolerance: 0.01,
      }),
      invoiceTotalsMatchLines(fctInvoiceLine(policy)),
    ],
  }),
)
