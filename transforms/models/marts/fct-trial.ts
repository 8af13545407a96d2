import { sql } from 'kysely'
import { defineModel } from '../../framework/index.js'
import { intBillingDates } from '../intermediate/int-billing-dates.js'
import { intMrrLineSegments } from '../intermediate/int-mrr-line-segments.js'
import { perPolicy } from '../per-policy.js'
import { policyLabel } from '../revenue-policy.js'
import { stgStripeSubscriptions } from '../staging/stripe/stg-stripe-subscriptions.js'
import { FctTrial } from './contracts.js'

/**
 * Trials that had ended by the data's as-of instant; converted when the subscription went on to a paid period
 * (a counting line with a positive amount running past the trial's end).
 */
export const fctTrial = perPolicy((policy) =>
  defineModel({
    name: 'fct_trial',
    layer: 'marts',
    materialized: 'table',
    description: `Ended trials and whether they became paid (${policyLabel(policy)}).`,
    inputs: {
      subscriptions: stgStripeSubscriptions,
      segments: intMrrLineSegments(policy),
      range: intBillingDates,
    },
    columns: FctTrial,
    query: ({ db, dialect }) =>
      db
        .selectFrom('subscriptions as s')
        .crossJoin('range')
        .select((eb) => [
          's.subscription_id',
          eb.ref('s.customer_id').$notNull().as('customer_id'),
          dialect.toDate(sql<string>`${eb.ref('s.trial_end')}`).as('trial_end'),
          eb
            .exists(
              eb
                .selectFrom('segments as n')
                .select('n.line_key')
                .whereRef('n.subscription_id', '=', 's.subscription_id')
                .where('n.counts', '=', true)
                .where('n.run_rate_native', '>', 0)
                .whereRef('n.effective_end', '>', 's.trial_end'),
            )
            .$castTo<boolean>()
            .as('converted'),
        ])
        .where('s.trial_end', 'is not', null)
        .where('s.customer_id', 'is not', null)
        .whereRef('s.trial_end', '<=', 'range.as_of')
        .where('s.is_deleted', '=', false),
    tests: (t) => [t.unique('subscription_id'), t.notNull('subscription_id')],
  }),
)
