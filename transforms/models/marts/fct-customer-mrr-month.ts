import { type Expression, sql } from 'kysely'
import type { DataTest } from '../../framework/index.js'
import { defineModel } from '../../framework/index.js'
import { intBillingDates } from '../intermediate/int-billing-dates.js'
import { intMonths } from '../intermediate/int-months.js'
import { perPolicy } from '../per-policy.js'
import { policyLabel } from '../revenue-policy.js'
import { stgStripeCustomers } from '../staging/stripe/stg-stripe-customers.js'
import { FctCustomerMrrMonth } from './contracts.js'
import { fctSubscriptionItemMonth } from './fct-subscription-item-month.js'
import { previousMonthTest } from './roll-forward-tests.js'

const MOVEMENTS = ['new', 'expansion', 'contraction', 'churn', 'reactivation', 'unchanged'] as const

const cents = (e: Expression<unknown>) => sql<number>`round(${e}, 2)`

/**
 * Each customer's MRR at each month end, from its first month with MRR through the last month of
 * the data (zeros after churn kept), with its movement in METRICS.md's order: new (first month
 * ever with MRR > 0), churn (prior > 0, now 0), reactivation (prior 0, now > 0), expansion,
 * contraction. The grain is the customer, so a second subscription is expansion and cancelling one
 * of two is contraction. MRR is rounded to cents first, so "> 0" means at least a cent.
 *
 * FX is kept out of the movements: a customer active in both months changes by its native MRR
 * valued at last month's effective rate (the movement) plus the rest (`fx_mrr`), so that
 * `mrr = previous_mrr + new + expansion + reactivation − contraction − churned + fx_mrr` holds
 * exactly, and a price unchanged in euros is `unchanged` however the euro moved.
 */
export const fctCustomerMrrMonth = perPolicy((policy) =>
  defineModel({
    name: 'fct_customer_mrr_month',
    layer: 'marts',
    materialized: 'table',
    description: `Each customer's MRR and movement at each month end (${policyLabel(policy)}).`,
    inputs: {
      items: fctSubscriptionItemMonth(policy),
      months: intMonths,
      range: intBillingDates,
      customers: stgStripeCustomers,
    },
    columns: FctCustomerMrrMonth,
    query: ({ db, dialect }) =>
      db
        .with('sums', (qb) =>
          qb
            .selectFrom('items')
            .select((eb) => [
              'items.customer_id',
              'items.month',
              eb.fn.sum<number>('items.mrr').as('mrr_exact'),
              eb.fn.sum<number>('items.mrr_native').as('native_exact'),
              eb.fn.max('items.currency').as('currency'),
            ])
            .groupBy(['items.customer_id', 'items.month']),
        )
        .with('cohorts', (qb) =>
          qb
            .selectFrom('sums')
            .leftJoin('customers', 'customers.customer_id', 'sums.customer_id')
            .select((eb) => [
              'sums.customer_id',
              eb.fn
                .min(
                  sql<string>`CASE WHEN ${cents(eb.ref('sums.mrr_exact'))} > 0 THEN ${eb.ref('sums.month')} END`,
                )
                .as('cohort_month'),
              eb.fn.coalesce(eb.fn.max('customers.currency'), eb.fn.max('sums.currency')).as('currency'),
            ])
            .groupBy('sums.customer_id'),
        )
        // The dense customer × month spine: a range join on the month spine, one row per month.
        .with('series', (qb) =>
          qb
            .selectFrom('cohorts')
            .crossJoin('range')
            .innerJoin('months', (join) =>
              join.on((eb) =>
                eb.and([
                  eb('months.month', '>=', eb.ref('cohorts.cohort_month')),
                  eb('months.month', '<=', eb.ref('range.last_month')),
                ]),
              ),
            )
            .leftJoin('sums', (join) =>
              join
                .onRef('sums.customer_id', '=', 'cohorts.customer_id')
                .onRef('sums.month', '=', 'months.month'),
            )
            .select((eb) => {
              const lag = (column: 'mrr_exact' | 'native_exact') =>
                eb.fn
                  .agg<number | null>('lag', [sql`coalesce(${eb.ref(`sums.${column}`)}, 0)`])
                  .over((o) => o.partitionBy('cohorts.customer_id').orderBy('months.month'))
              return [
                'cohorts.customer_id',
                'months.month',
                'cohorts.cohort_month',
                'cohorts.currency',
                sql<number>`coalesce(${eb.ref('sums.mrr_exact')}, 0)`.as('mrr_exact'),
                sql<number>`coalesce(${eb.ref('sums.native_exact')}, 0)`.as('native_exact'),
                lag('mrr_exact').as('previous_exact'),
                lag('native_exact').as('previous_native_exact'),
              ]
            }),
        )
        .with('valued', (qb) =>
          qb.selectFrom('series').select((eb) => {
            const mrr = cents(eb.ref('series.mrr_exact'))
            const previous = cents(sql`coalesce(${eb.ref('series.previous_exact')}, 0)`)
            // Native MRR now at last month's effective rate: the change without exchange rates.
            const rate = sql<number>`CASE WHEN ${eb.ref('series.previous_native_exact')} <> 0 THEN ${eb.ref('series.previous_exact')} / ${eb.ref('series.previous_native_exact')} ELSE 1 END`
            return [
              'series.customer_id',
              'series.month',
              'series.cohort_month',
              'series.currency',
              mrr.as('mrr'),
              cents(eb.ref('series.native_exact')).as('mrr_native'),
              previous.as('previous_mrr'),
              sql<number>`CASE WHEN ${previous} > 0 AND ${mrr} > 0 THEN ${cents(sql`${eb.ref('series.native_exact')} * ${rate}`)} ELSE ${mrr} END`.as(
                'at_previous_rates',
              ),
            ]
          }),
        )
        .selectFrom('valued as v')
        .select((eb) => {
          const mrr = eb.ref('v.mrr')
          const previous = eb.ref('v.previous_mrr')
          const atPrevious = eb.ref('v.at_previous_rates')
          const movement = sql<string>`CASE WHEN ${eb.ref('v.month')} = ${eb.ref('v.cohort_month')} THEN 'new' WHEN ${previous} > 0 AND ${mrr} <= 0 THEN 'churn' WHEN ${previous} <= 0 AND ${mrr} > 0 THEN 'reactivation' WHEN ${atPrevious} > ${previous} THEN 'expansion' WHEN ${atPrevious} < ${previous} THEN 'contraction' ELSE 'unchanged' END`
          const amount = (name: string, value: Expression<unknown>) =>
            sql<number>`CASE WHEN ${movement} = ${name} THEN ${cents(value)} ELSE 0 END`
          return [
            'v.customer_id',
            'v.month',
            eb.fn.coalesce('v.currency', sql<string>`${policy.options.reportingCurrency}`).as('currency'),
            'v.mrr_native',
            'v.mrr',
            'v.previous_mrr',
            movement.as('movement'),
            amount('new', sql`${mrr} - ${previous}`).as('new_mrr'),
            amount('expansion', sql`${atPrevious} - ${previous}`).as('expansion_mrr'),
            amount('contraction', sql`${previous} - ${atPrevious}`).as('contraction_mrr'),
            amount('churn', sql`${previous} - ${mrr}`).as('churned_mrr'),
            amount('reactivation', sql`${mrr} - ${previous}`).as('reactivation_mrr'),
            cents(sql`${mrr} - ${atPrevious}`).as('fx_mrr'),
            sql<boolean>`(${mrr} > 0)`.as('is_active'),
            sql<boolean>`(${previous} > 0)`.as('was_active'),
            'v.cohort_month',
            dialect.dateDiff('month', eb.ref('v.cohort_month'), eb.ref('v.month')).as('months_since_cohort'),
          ]
        }),
    tests: (t) => [
      t.unique(['customer_id', 'month']),
      t.notNull('customer_id'),
      t.notNull('month'),
      t.acceptedValues('movement', [...MOVEMENTS]),
      t.expression('mrr_rolls_forward', (eb) =>
        eb(
          sql`abs(${eb.ref('mrr')} - (${eb.ref('previous_mrr')} + ${eb.ref('new_mrr')} + ${eb.ref('expansion_mrr')} + ${eb.ref('reactivation_mrr')} - ${eb.ref('contraction_mrr')} - ${eb.ref('churned_mrr')} + ${eb.ref('fx_mrr')}))`,
          '<',
          0.000001,
        ),
      ),
      t.expression('movement_amounts_are_positive', (eb) =>
        eb.and([
          eb('new_mrr', '>=', 0),
          eb('expansion_mrr', '>=', 0),
          eb('contraction_mrr', '>=', 0),
          eb('churned_mrr', '>=', 0),
          eb('reactivation_mrr', '>=', 0),
        ]),
      ),
      previousMonthTest satisfies DataTest,
    ],
    unitTests: [
      {
        name: 'classifies_movements_in_order',
        given: {
          months: MONTHS,
          range: [{ last_month: '2024-07-01' }],
          customers: [{ customer_id: 'c1', currency: 'USD' }],
          items: [
            // c1: a second subscription, then one of two cancelled, then churn, a gap, and a return.
            item('c1', 'si_a', '2024-01-01', 100),
            item('c1', 'si_a', '2024-02-01', 100),
            item('c1', 'si_b', '2024-02-01', 50),
            item('c1', 'si_a', '2024-03-01', 100),
            item('c1', 'si_c', '2024-06-01', 120),
            item('c1', 'si_c', '2024-07-01', 120),
            // c4: a trial month at 0 is not its first month; cohort March.
            item('c4', 'si_t', '2024-01-01', 0),
            item('c4', 'si_t', '2024-03-01', 50),
            item('c4', 'si_t', '2024-04-01', 50),
            // c5: only after the last month of the data.
            item('c5', 'si_x', '2024-08-01', 10),
          ],
        },
        expect: [
          moved('c1', '2024-01-01', 0, 100, 'new', 100),
          moved('c1', '2024-02-01', 100, 150, 'expansion', 50),
          moved('c1', '2024-03-01', 150, 100, 'contraction', 50),
          moved('c1', '2024-04-01', 100, 0, 'churn', 100),
          moved('c1', '2024-05-01', 0, 0, 'unchanged', 0),
          moved('c1', '2024-06-01', 0, 120, 'reactivation', 120),
          moved('c1', '2024-07-01', 120, 120, 'unchanged', 0),
          moved('c4', '2024-03-01', 0, 50, 'new', 50),
          moved('c4', '2024-04-01', 50, 50, 'unchanged', 0),
          moved('c4', '2024-05-01', 50, 0, 'churn', 50),
          moved('c4', '2024-06-01', 0, 0, 'unchanged', 0),
          moved('c4', '2024-07-01', 0, 0, 'unchanged', 0),
        ],
      },
      {
        name: 'keeps_exchange_rates_out_of_movements',
        given: {
          months: MONTHS,
          range: [{ last_month: '2024-05-01' }],
          customers: [{ customer_id: 'c2', currency: 'EUR' }],
          items: [
            // €100 at 1.10, renewed at 1.20 (FX only), €150 at 1.00 (an upgrade while the euro fell), then churn.
            { ...item('c2', 'si_e', '2024-01-01', 110), mrr_native: 100, currency: 'EUR' },
            { ...item('c2', 'si_e', '2024-02-01', 120), mrr_native: 100, currency: 'EUR' },
            { ...item('c2', 'si_e', '2024-03-01', 150), mrr_native: 150, currency: 'EUR' },
            { ...item('c2', 'si_e', '2024-04-01', 150), mrr_native: 150, currency: 'EUR' },
          ],
        },
        expect: [
          { ...moved('c2', '2024-01-01', 0, 110, 'new', 110), mrr_native: 100, currency: 'EUR' },
          { ...moved('c2', '2024-02-01', 110, 120, 'unchanged', 0, 10), mrr_native: 100, currency: 'EUR' },
          // At January's rate (1.20) the upgrade is worth 180: expansion 60, and the euro's fall −30.
          { ...moved('c2', '2024-03-01', 120, 150, 'expansion', 60, -30), mrr_native: 150, currency: 'EUR' },
          { ...moved('c2', '2024-04-01', 150, 150, 'unchanged', 0), mrr_native: 150, currency: 'EUR' },
          { ...moved('c2', '2024-05-01', 150, 0, 'churn', 150), mrr_native: 0, currency: 'EUR' },
        ],
      },
    ],
  }),
)

const MONTHS = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08'].map(
  (m, i, all) => ({ month: `${m}-01`, snapshot_at: `${all[i + 1] ?? '2024-09'}-01T00:00:00.000Z` }),
)

function item(customer_id: string, subscription_item_id: string, month: string, mrr: number) {
  return { customer_id, subscription_item_id, month, mrr, mrr_native: mrr, currency: 'USD' }
}

/** An expected customer-month: its movement's size in its own column, FX beside it. */
function moved(
  customer_id: string,
  month: string,
  previous_mrr: number,
  mrr: number,
  movement: (typeof MOVEMENTS)[number],
  size: number,
  fx_mrr = 0,
) {
  const column = (name: string) => (movement === name ? size : 0)
  return {
    customer_id,
    month,
    previous_mrr,
    mrr,
    movement,
    new_mrr: column('new'),
    expansion_mrr: column('expansion'),
    contraction_mrr: column('contraction'),
    churned_mrr: column('churn'),
    reactivation_mrr: column('reactivation'),
    fx_mrr,
    is_active: mrr > 0,
    was_active: previous_mrr > 0,
  }
}
