import { sql } from 'kysely'
import { defineModel } from '../../framework/index.js'
import { intBillingDates } from '../intermediate/int-billing-dates.js'
import { intMrrLineSegments } from '../intermediate/int-mrr-line-segments.js'
import { perPolicy } from '../per-policy.js'
import { policyLabel } from '../revenue-policy.js'
import { FctSubscriptionTerm } from './contracts.js'

/**
 * Paid terms that had ended by the data's as-of instant, one per subscription and end: the service periods of its
 * counting, non-proration lines. A term continued when a counting line of the same subscription
 * with a positive amount covers the instant it ended (a renewal, or a plan change that started a
 * new period). Trials are not terms (fct_trial).
 */
export const fctSubscriptionTerm = perPolicy((policy) =>
  defineModel({
    name: 'fct_subscription_term',
    layer: 'marts',
    materialized: 'table',
    description: `Subscription terms that ended and whether they renewed (${policyLabel(policy)}).`,
    inputs: { segments: intMrrLineSegments(policy), range: intBillingDates },
    columns: FctSubscriptionTerm,
    query: ({ db, dialect }) =>
      db
        .with('terms', (qb) =>
          qb
            .selectFrom('segments as s')
            .crossJoin('range')
            .select(['s.subscription_id', 's.customer_id', 's.effective_end as ended_at'])
            .where('s.counts', '=', true)
            .where('s.is_proration', '=', false)
            .where('s.gross_native', '>', 0)
            .where('s.subscription_id', 'is not', null)
            .whereRef('s.effective_end', '<=', 'range.as_of')
            .groupBy(['s.subscription_id', 's.customer_id', 's.effective_end']),
        )
        .selectFrom('terms as t')
        .select((eb) => [
          eb.ref('t.subscription_id').$notNull().as('subscription_id'),
          't.customer_id',
          dialect.toDate(sql<string>`${eb.ref('t.ended_at')}`).as('term_end'),
          eb
            .exists(
              eb
                .selectFrom('segments as n')
                .select('n.line_key')
                .whereRef('n.subscription_id', '=', 't.subscription_id')
                .where('n.counts', '=', true)
                .where('n.gross_native', '>', 0)
                .whereRef('n.period_start', '<=', 't.ended_at')
                .whereRef('n.effective_end', '>', 't.ended_at'),
            )
            .$castTo<boolean>()
            .as('continued'),
        ]),
    tests: (t) => [
      t.unique(['subscription_id', 'term_end']),
      t.notNull('subscription_id'),
      t.notNull('term_end'),
    ],
  }),
)
