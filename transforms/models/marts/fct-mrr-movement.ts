import { sql } from 'kysely'
import { defineModel } from '../../framework/index.js'
import { perPolicy } from '../per-policy.js'
import { policyLabel } from '../revenue-policy.js'
import { FctMrrMovement } from './contracts.js'
import { fctCustomerMrrMonth } from './fct-customer-mrr-month.js'

const SIZE = {
  new: 'new_mrr',
  expansion: 'expansion_mrr',
  contraction: 'contraction_mrr',
  churn: 'churned_mrr',
  reactivation: 'reactivation_mrr',
} as const
const GROWTH = ['new', 'expansion', 'reactivation']

/** One row per customer-month whose MRR moved (unchanged months left out), sized positive. */
export const fctMrrMovement = perPolicy((policy) =>
  defineModel({
    name: 'fct_mrr_movement',
    layer: 'marts',
    materialized: 'table',
    description: `Customer MRR movements by month (${policyLabel(policy)}).`,
    inputs: { months: fctCustomerMrrMonth(policy) },
    columns: FctMrrMovement,
    query: ({ db }) =>
      db
        .selectFrom('months as m')
        .select((eb) => [
          'm.customer_id',
          'm.month',
          'm.movement',
          sql<number>`CASE ${eb.ref('m.movement')} ${sql.join(
            Object.entries(SIZE).map(
              ([movement, column]) => sql`WHEN ${movement} THEN ${sql.ref(`m.${column}`)}`,
            ),
            sql` `,
          )} ELSE 0 END`.as('amount'),
          'm.previous_mrr',
          'm.mrr',
        ])
        .where('m.movement', '<>', 'unchanged'),
    tests: (t) => [
      t.unique(['customer_id', 'month']),
      t.notNull('customer_id'),
      t.notNull('month'),
      t.acceptedValues('movement', ['new', 'expansion', 'contraction', 'churn', 'reactivation']),
      t.expression('amount_is_positive', (eb) => eb('amount', '>', 0)),
      // Movements explain every change of MRR but exchange rates: Σ signed movements = Σ (Δ MRR − FX).
      t.reconciles('movements_explain_mrr_changes', {
        value: (eb) =>
          eb.fn.sum(
            sql<number>`CASE WHEN ${eb.ref('movement')} IN (${sql.join(GROWTH)}) THEN ${eb.ref('amount')} ELSE -${eb.ref('amount')} END`,
          ),
        against: fctCustomerMrrMonth(policy),
        againstValue: (eb) =>
          eb.fn.sum(sql<number>`${eb.ref('mrr')} - ${eb.ref('previous_mrr')} - ${eb.ref('fx_mrr')}`),
        tolerance: 0.01,
      }),
    ],
  }),
)
