import { sql } from 'kysely'
import { defineModel } from '../../framework/index.js'
import { intBillingDates } from '../intermediate/int-billing-dates.js'
import { intMonths } from '../intermediate/int-months.js'
import { intMrrLineSegments } from '../intermediate/int-mrr-line-segments.js'
import { perPolicy } from '../per-policy.js'
import { policyLabel } from '../revenue-policy.js'
import { stgStripeSubscriptions } from '../staging/stripe/stg-stripe-subscriptions.js'
import { FctSubscriptionItemMonth } from './contracts.js'

/**
 * Each subscription item's MRR at each month's last instant ("Snapshot"), and for the data's last
 * month, which may not be over, at its as-of instant: the lines covering that instant, summed. The
 * describing columns come from the item's latest positive line then; the state flags from the
 * subscription as it stands now (METRICS.md: current state adds trial, pause and cancellation
 * facts): trialing and paused months are 0, whatever their invoices say.
 */
export const fctSubscriptionItemMonth = perPolicy((policy) =>
  defineModel({
    name: 'fct_subscription_item_month',
    layer: 'marts',
    materialized: 'table',
    description: `Contract MRR of each subscription item at each month end (${policyLabel(policy)}).`,
    inputs: {
      segments: intMrrLineSegments(policy),
      months: intMonths,
      range: intBillingDates,
      subscriptions: stgStripeSubscriptions,
    },
    columns: FctSubscriptionItemMonth,
    query: ({ db }) =>
      db
        // Lines × the snapshots they cover: month ends by a range join on the month spine (never
        // days), and for the month not over yet, the as-of instant.
        .with('snapshots', (qb) =>
          qb
            .selectFrom('segments as s')
            .crossJoin('range')
            .innerJoin('months as m', (join) =>
              join.on((eb) =>
                eb.and([
                  eb('m.month', '>=', eb.ref('s.first_month')),
                  eb('m.month', '<=', eb.ref('s.last_month')),
                  eb('m.month', '<', eb.ref('range.last_month')),
                ]),
              ),
            )
            .select(['s.line_key', 'm.month', 'm.snapshot_at'])
            .unionAll(
              qb
                .selectFrom('segments as s')
                .crossJoin('range')
                .select((eb) => [
                  's.line_key',
                  eb.ref('range.last_month').$notNull().as('month'),
                  eb.ref('range.as_of').$notNull().as('snapshot_at'),
                ])
                .whereRef('s.period_start', '<', 'range.as_of')
                .whereRef('s.effective_end', '>=', 'range.as_of'),
            ),
        )
        .with('covering', (qb) =>
          qb
            .selectFrom('snapshots as c')
            .innerJoin('segments as s', 's.line_key', 'c.line_key')
            .select((eb) => [
              's.subscription_item_id',
              's.subscription_id',
              's.customer_id',
              'c.month',
              'c.snapshot_at',
              's.price_id',
              's.product_id',
              's.billing_interval',
              's.quantity',
              's.currency',
              's.invoice_status',
              sql<number>`CASE WHEN ${eb.ref('s.counts')} THEN ${eb.ref('s.run_rate_native')} ELSE 0 END`.as(
                'mrr_native',
              ),
              sql<number>`CASE WHEN ${eb.ref('s.counts')} THEN ${eb.ref('s.run_rate_native')} * ${eb.ref('s.fx_rate')} ELSE 0 END`.as(
                'mrr',
              ),
              // The line that describes the item this month: the latest-starting one with a positive amount.
              eb.fn
                .agg<number>('row_number')
                .over((o) =>
                  o
                    .partitionBy(['s.subscription_item_id', 'c.month'])
                    .orderBy(sql`CASE WHEN ${eb.ref('s.gross_native')} > 0 THEN 0 ELSE 1 END`)
                    .orderBy('s.period_start', 'desc')
                    .orderBy('s.line_key', 'desc'),
                )
                .as('describes'),
            ]),
        )
        .with('items', (qb) =>
          qb
            .selectFrom('covering')
            .select((eb) => {
              const first = <T extends string | number | null>(column: string) =>
                eb.fn.max<T>(
                  sql`CASE WHEN ${eb.ref('covering.describes')} = 1 THEN ${sql.ref(`covering.${column}`)} END`,
                )
              return [
                'covering.subscription_item_id',
                'covering.month',
                'covering.snapshot_at',
                first<string>('subscription_id').as('subscription_id'),
                first<string>('customer_id').as('customer_id'),
                first<string | null>('price_id').as('price_id'),
                first<string | null>('product_id').as('product_id'),
                first<string | null>('billing_interval').as('billing_interval'),
                first<number | null>('quantity').as('quantity'),
                first<string>('currency').as('currency'),
                first<string>('invoice_status').as('invoice_status'),
                eb.fn.sum<number>('covering.mrr_native').as('mrr_native'),
                eb.fn.sum<number>('covering.mrr').as('mrr'),
              ]
            })
            .groupBy(['covering.subscription_item_id', 'covering.month', 'covering.snapshot_at']),
        )
        .selectFrom('items as i')
        .leftJoin('subscriptions as sub', 'sub.subscription_id', 'i.subscription_id')
        .select((eb) => {
          const at = eb.ref('i.snapshot_at')
          // Covering the month's last instant: started before `at` (the next month's start), ending at it or later.
          const within = (from: unknown, until: unknown) =>
            sql<boolean>`coalesce(${from} < ${at} AND (${until} IS NULL OR ${until} >= ${at}), FALSE)`
          const isTrialing = within(eb.ref('sub.trial_start'), eb.ref('sub.trial_end'))
          // Paused now: `paused` (a trial ended without a payment method) or collection paused, since the current period.
          const pausedFrom = sql`CASE WHEN ${eb.ref('sub.status')} = 'paused' THEN coalesce(${eb.ref('sub.trial_end')}, ${eb.ref('sub.current_period_start')}) WHEN ${eb.ref('sub.pause_behavior')} IS NOT NULL THEN ${eb.ref('sub.current_period_start')} END`
          const isPaused = within(pausedFrom, eb.ref('sub.pause_resumes_at'))
          const endedAt =
            policy.options.cancellation === 'immediately'
              ? sql`coalesce(${eb.ref('sub.canceled_at')}, ${eb.ref('sub.ended_at')})`
              : eb.ref('sub.ended_at')
          const zero = sql<boolean>`(${isTrialing} OR ${isPaused})`
          return [
            'i.subscription_item_id',
            eb.fn.coalesce('i.subscription_id', sql<string>`''`).as('subscription_id'),
            'i.customer_id',
            'i.month',
            'i.price_id',
            'i.product_id',
            'i.billing_interval',
            'i.quantity',
            'i.currency',
            sql<number>`CASE WHEN ${zero} THEN 0 ELSE round(${eb.ref('i.mrr_native')}, 6) END`.as(
              'mrr_native',
            ),
            sql<number>`CASE WHEN ${zero} THEN 0 ELSE round(${eb.ref('i.mrr')}, 6) END`.as('mrr'),
            isTrialing.as('is_trialing'),
            sql<boolean>`(${eb.ref('i.invoice_status')} = 'open')`.as('is_past_due'),
            isPaused.as('is_paused'),
            sql<boolean>`coalesce(${endedAt} < ${at}, FALSE)`.as('is_canceled'),
          ]
        }),
    tests: (t) => [
      t.unique(['subscription_item_id', 'month']),
      t.notNull('subscription_item_id'),
      t.notNull('month'),
      t.notNull('customer_id'),
      t.acceptedValues('billing_interval', ['day', 'week', 'month', 'year']),
    ],
  }),
)
