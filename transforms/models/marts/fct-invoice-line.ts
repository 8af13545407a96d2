import { sql } from 'kysely'
import { defineModel } from '../../framework/index.js'
import { intFxRatesDaily } from '../intermediate/int-fx-rates-daily.js'
import { perPolicy } from '../per-policy.js'
import { stgStripeInvoiceLineItems } from '../staging/stripe/stg-stripe-invoice-line-items.js'
import { stgStripeInvoices } from '../staging/stripe/stg-stripe-invoices.js'
import { stgStripePrices } from '../staging/stripe/stg-stripe-prices.js'
import { FctInvoiceLine } from './contracts.js'
import { converted, native } from './fx.js'

/**
 * Invoice lines. Stripe's line `amount` is before discounts and includes inclusive tax; here gross
 * is before discounts without any tax, and `amount` after discounts without tax, so Σ amounts is
 * the invoice's total excluding tax. Keyed `<invoice id>|<line id>` (old line ids repeat across
 * invoices).
 */
export const fctInvoiceLine = perPolicy((policy) =>
  defineModel({
    name: 'fct_invoice_line',
    layer: 'marts',
    materialized: 'table',
    description: `Stripe invoice lines, excluding tax, in native and ${policy.options.reportingCurrency}.`,
    inputs: {
      lines: stgStripeInvoiceLineItems,
      invoices: stgStripeInvoices,
      prices: stgStripePrices,
      fx: intFxRatesDaily(policy),
    },
    columns: FctInvoiceLine,
    query: ({ db, dialect }) =>
      db
        .selectFrom('lines as l')
        .innerJoin('invoices as i', 'i.invoice_id', 'l.invoice_id')
        .leftJoin('prices as p', 'p.price_id', 'l.price_id')
        .leftJoin('fx', (join) =>
          join
            .onRef('fx.currency', '=', 'l.currency')
            .on((eb) => eb('fx.rate_date', '=', dialect.toDate(sql<string>`${eb.ref('i.invoice_at')}`))),
        )
        .select((eb) => {
          const gross = sql<number>`${native(eb.ref('l.amount'))} - ${native(eb.ref('l.inclusive_tax_amount'))}`
          const amount = sql<number>`${gross} - ${native(eb.ref('l.discount_amount'))}`
          return [
            'l.line_key as invoice_line_id',
            'l.invoice_id',
            eb.ref('i.customer_id').$notNull().as('customer_id'),
            eb.fn.coalesce('l.subscription_id', 'i.subscription_id').as('subscription_id'),
            'l.subscription_item_id',
            'l.price_id',
            dialect.toDate(sql<string>`${eb.ref('i.invoice_at')}`).as('invoice_date'),
            eb.ref('i.status').$notNull().as('invoice_status'),
            eb.ref('l.currency').$notNull().as('currency'),
            sql<boolean>`coalesce(coalesce(${eb.ref('l.price_type')}, ${eb.ref('p.price_type')}) = 'recurring', FALSE)`.as(
              'is_recurring',
            ),
            'l.is_proration',
            'l.period_start',
            'l.period_end',
            'l.quantity',
            gross.as('gross_amount_native'),
            native(eb.ref('l.discount_amount')).as('discount_native'),
            native(eb.ref('l.tax_amount')).as('tax_native'),
            amount.as('amount_native'),
            converted(amount, eb.ref('fx.rate')).as('amount'),
            converted(eb.ref('l.discount_amount'), eb.ref('fx.rate')).as('discount'),
            converted(eb.ref('l.tax_amount'), eb.ref('fx.rate')).as('tax'),
          ]
        })
        .where('i.is_deleted', '=', false)
        .where('i.customer_id', 'is not', null),
    tests: (t) => [
      t.unique('invoice_line_id'),
      t.notNull('invoice_line_id'),
      t.notNull('invoice_id'),
      t.relationships('invoice_id', stgStripeInvoices, 'invoice_id'),
    ],
  }),
)
