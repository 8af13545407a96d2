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
import { stgStripeSubscriptions } from '../staging/stripe/stg-stripe-subscriptions.js'

/**
 * The data's calendar, one row. `last_month` is the month of the latest billing activity
 * (something created in Stripe): MRR months run through it, and its snapshot is its last instant,
 * `snapshot_end`. Service periods reach beyond it (annual plans), so they do not count. The day
 * range of the date spine covers billing and finance inputs alike.
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
    events: stgStripeEvents,
    expense: stgFinanceSmExpense,
    margin: stgFinanceGrossMargin,
    quotas: stgFinanceQuotas,
  },
  columns: z.object({
    first_day: z.iso.date().nullable(),
    last_day: z.iso.date().nullable(),
    last_month: z.iso.date().nullable(),
    snapshot_end: z.iso.datetime().nullable(),
  }),
  query: ({ db, dialect }) => {
    // Every date the data speaks of; `activity` marks what happened (as opposed to periods and plans).
    const dates = db
      .selectFrom('customers')
      .select((eb) => [
        dialect.toDate(sql<string>`${eb.ref('customers.created_at')}`).as('day'),
        sql<boolean>`TRUE`.as('activity'),
      ])
      .unionAll(
        db
          .selectFrom('subscriptions')
          .select((eb) => [
            dialect.toDate(sql<string>`${eb.ref('subscriptions.created_at')}`).as('day'),
            sql<boolean>`TRUE`.as('activity'),
          ]),
      )
      .unionAll(
        db
          .selectFrom('invoices')
          .select((eb) => [
            dialect.toDate(sql<string>`${eb.ref('invoices.created_at')}`).as('day'),
            sql<boolean>`TRUE`.as('activity'),
          ]),
      )
      .unionAll(
        db
          .selectFrom('charges')
          .select((eb) => [
            dialect.toDate(sql<string>`${eb.ref('charges.created_at')}`).as('day'),
            sql<boolean>`TRUE`.as('activity'),
          ]),
      )
      .unionAll(
        db
          .selectFrom('events')
          .select((eb) => [
            dialect.toDate(sql<string>`${eb.ref('events.created_at')}`).as('day'),
            sql<boolean>`TRUE`.as('activity'),
          ]),
      )
      .unionAll(
        db
          .selectFrom('lines')
          .select((eb) => [
            dialect.toDate(sql<string>`${eb.ref('lines.period_start')}`).as('day'),
            sql<boolean>`FALSE`.as('activity'),
          ]),
      )
      .unionAll(db.selectFrom('expense').select(['expense.month as day', sql<boolean>`FALSE`.as('activity')]))
      .unionAll(db.selectFrom('margin').select(['margin.month as day', sql<boolean>`FALSE`.as('activity')]))
      .unionAll(
        db.selectFrom('quotas').select(['quotas.period_start as day', sql<boolean>`FALSE`.as('activity')]),
      )
      .unionAll(
        db.selectFrom('quotas').select(['quotas.period_end as day', sql<boolean>`FALSE`.as('activity')]),
      )
    return db
      .selectFrom(
        db
          .selectFrom(dates.as('d'))
          .select((eb) => [
            eb.fn.min('d.day').as('first_day'),
            eb.fn.max('d.day').as('last_day'),
            eb.fn
              .max(sql<string>`CASE WHEN ${eb.ref('d.activity')} THEN ${eb.ref('d.day')} END`)
              .as('last_activity'),
          ])
          .as('r'),
      )
      .select((eb) => {
        const lastMonth = dialect.dateTrunc('month', sql<string>`${eb.ref('r.last_activity')}`)
        return [
          dialect.dateTrunc('month', sql<string>`${eb.ref('r.first_day')}`).as('first_day'),
          dialect.lastDayOfMonth(sql<string>`${eb.ref('r.last_day')}`).as('last_day'),
          lastMonth.as('last_month'),
          dialect.cast<string>(dialect.dateAdd('month', 1, lastMonth), 'timestamp').as('snapshot_end'),
        ]
      })
  },
  tests: (t) => [t.rowCount({ min: 1, max: 1 })],
})
