import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../framework/index.js'
import { stgFinanceGrossMargin } from '../staging/finance/stg-finance-gross-margin.js'
import { stgFinanceQuotas } from '../staging/finance/stg-finance-quotas.js'
import { stgFinanceSmExpense } from '../staging/finance/stg-finance-sm-expense.js'
import { stgStripeCharges } from '../staging/stripe/stg-stripe-charges.js'
import { stgStripeCustomers } from '../staging/stripe/stg-stripe-customers.js'
import { stgStripeEvents } from '../staging/stripe/stg-stripe-events.js'
import { stgStripeInvoiceLineItems } from '../staging/stripe/stg-stripe-invoice-line-items.js'
import { stgStripeInvoices } from '../staging/stripe/stg-stripe-invoices.js'
import { stgStripeRefunds } from '../staging/stripe/stg-stripe-refunds.js'
import { stgStripeSubscriptions } from '../staging/stripe/stg-stripe-subscriptions.js'

/**
 * The data's calendar, one row. `as_of` is the latest billing activity: an invoice, subscription,
 * customer or event created (payments follow invoices, so a late retry of an old invoice is not
 * new billing; service periods reach beyond it, annual plans a year). MRR months run through its
 * month, `last_month`, whose snapshot is taken at `as_of`: a month not over yet shows MRR now,
 * not a guess at its end with the renewals still to come missing. The day range of the date
 * spine covers billing, payments and finance inputs alike.
 */
export const intBillingDates = defineModel({
  name: 'int_billing_dates',
  layer: 'intermediate',
  materialized: 'table',
  description: 'The first and last day of the data, and the last month of billing activity.',
  inputs: {
    customers: stgStripeCustomers,
    subscriptions: stgStripeSubscriptions,
    invoices: stgStripeInvoices,
    lines: stgStripeInvoiceLineItems,
    charges: stgStripeCharges,
    refunds: stgStripeRefunds,
    events: stgStripeEvents,
    expense: stgFinanceSmExpense,
    margin: stgFinanceGrossMargin,
    quotas: stgFinanceQuotas,
  },
  columns: z.object({
    first_day: z.iso.date().nullable(),
    last_day: z.iso.date().nullable(),
    last_month: z.iso.date().nullable(),
    as_of: z.iso.datetime().nullable(),
  }),
  query: ({ db, dialect }) => {
    const at = (column: unknown, activity: boolean) => [
      sql<string | null>`${column}`.as('at'),
      sql<boolean>`${sql.raw(activity ? 'TRUE' : 'FALSE')}`.as('activity'),
    ]
    const day = (column: unknown) => dialect.cast<string | null>(sql`${column}`, 'timestamp')
    // Every instant the data speaks of; `activity` marks billing that happened.
    const instants = db
      .selectFrom('customers')
      .select((eb) => at(eb.ref('customers.created_at'), true))
      .unionAll(db.selectFrom('subscriptions').select((eb) => at(eb.ref('subscriptions.created_at'), true)))
      .unionAll(db.selectFrom('invoices').select((eb) => at(eb.ref('invoices.created_at'), true)))
      .unionAll(db.selectFrom('events').select((eb) => at(eb.ref('events.created_at'), true)))
      .unionAll(db.selectFrom('charges').select((eb) => at(eb.ref('charges.created_at'), false)))
      .unionAll(db.selectFrom('refunds').select((eb) => at(eb.ref('refunds.created_at'), false)))
      .unionAll(db.selectFrom('lines').select((eb) => at(eb.ref('lines.period_start'), false)))
      .unionAll(db.selectFrom('expense').select((eb) => at(day(eb.ref('expense.month')), false)))
      .unionAll(db.selectFrom('margin').select((eb) => at(day(eb.ref('margin.month')), false)))
      .unionAll(db.selectFrom('quotas').select((eb) => at(day(eb.ref('quotas.period_start')), false)))
      .unionAll(db.selectFrom('quotas').select((eb) => at(day(eb.ref('quotas.period_end')), false)))
    return db
      .selectFrom(
        db
          .selectFrom(instants.as('d'))
          .select((eb) => [
            eb.fn.min('d.at').as('first_at'),
            eb.fn.max('d.at').as('last_at'),
            eb.fn.max(sql<string>`CASE WHEN ${eb.ref('d.activity')} THEN ${eb.ref('d.at')} END`).as('as_of'),
          ])
          .as('r'),
      )
      .select((eb) => {
        const date = (column: 'r.first_at' | 'r.last_at' | 'r.as_of') =>
          dialect.toDate(sql<string>`${eb.ref(column)}`)
        return [
          dialect.dateTrunc('month', date('r.first_at')).as('first_day'),
          dialect.lastDayOfMonth(date('r.last_at')).as('last_day'),
          dialect.dateTrunc('month', date('r.as_of')).as('last_month'),
          'r.as_of',
        ]
      })
  },
  tests: (t) => [t.rowCount({ min: 1, max: 1 })],
})
