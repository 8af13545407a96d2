import { type Expression, sql } from 'kysely'
import { z } from 'zod'
import type { SqlDialect } from '../../../core/sql/dialect.js'
import { defineModel, type RowOf } from '../../framework/index.js'
import { perPolicy } from '../per-policy.js'
import { MRR_POLICY_V1, policyLabel, type RevenuePolicy } from '../revenue-policy.js'
import { stgStripeInvoiceLineItems } from '../staging/stripe/stg-stripe-invoice-line-items.js'
import { stgStripeInvoices } from '../staging/stripe/stg-stripe-invoices.js'
import { stgStripePrices } from '../staging/stripe/stg-stripe-prices.js'
import { stgStripeSubscriptions } from '../staging/stripe/stg-stripe-subscriptions.js'
import { intFxRatesDaily } from './int-fx-rates-daily.js'
import { intStripeLineDiscounts } from './int-stripe-line-discounts.js'

/** Months per billing interval, inverted: a price's amount per interval × this = per month ("Normalisation, exactly"). */
const PER_MONTH = { month: 1, year: 1 / 12, week: 52 / 12, day: 365 / 12 } as const

const ts = (e: Expression<unknown>) => sql<string>`${e}`

/**
 * The MRR contribution of every recurring, licensed invoice line (METRICS.md "Normalisation,
 * exactly"): over its service period `[period_start, effective_end)` it adds `run_rate_native`, the
 * price's unit amount × quantity per month (÷ interval_count), × the line's share left after its
 * discounts and any inclusive tax ((gross − discounts − inclusive tax) ÷ gross), signed like the
 * line, so a proration credit subtracts. `counts` says
 * whether the line counts at all under the policy: finalized and standing (paid, or open while its
 * subscription is neither cancelled nor unpaid), not a trial, not zero. The snapshot months it
 * covers are `first_month`..`last_month` (a month counts when the line covers its last instant);
 * joining those to the month spine is the only expansion, so rows stay lines × months covered.
 */
export const intMrrLineSegments = perPolicy((policy) =>
  defineModel({
    name: 'int_mrr_line_segments',
    layer: 'intermediate',
    materialized: 'table',
    description: `Each recurring licensed invoice line's monthly run-rate and service period (${policyLabel(policy)}).`,
    inputs: {
      lines: stgStripeInvoiceLineItems,
      invoices: stgStripeInvoices,
      prices: stgStripePrices,
      subscriptions: stgStripeSubscriptions,
      fx: intFxRatesDaily(policy),
      ...(policy.options.discounts === 'forever_only' ? { discounts: intStripeLineDiscounts } : {}),
    },
    columns: z.object({
      line_key: z.string(),
      invoice_id: z.string(),
      invoice_status: z.string(),
      customer_id: z.string(),
      subscription_id: z.string().nullable(),
      /** The line's item; lines without one are keyed by subscription and price. */
      subscription_item_id: z.string(),
      price_id: z.string().nullable(),
      product_id: z.string().nullable(),
      currency: z.string(),
      billing_interval: z.string().nullable(),
      interval_count: z.int(),
      quantity: z.number().nullable(),
      is_proration: z.boolean(),
      is_trial: z.boolean(),
      counts: z.boolean(),
      period_start: z.iso.datetime(),
      period_end: z.iso.datetime(),
      /** The period's end after the policy: cancellation at once, or past due for too long. */
      effective_end: z.iso.datetime(),
      gross_native: z.number(),
      /** The discounts the policy deducts. */
      discount_native: z.number(),
      inclusive_tax_native: z.number(),
      run_rate_native: z.number(),
      /** Into the reporting currency at the service period's start. */
      fx_rate: z.number().nullable(),
      first_month: z.iso.date(),
      last_month: z.iso.date(),
    }),
    query: ({ db, dialect }) => {
      const q = db
        .selectFrom('lines')
        .innerJoin('invoices', 'invoices.invoice_id', 'lines.invoice_id')
        .leftJoin('prices', 'prices.price_id', 'lines.price_id')
        .leftJoin('subscriptions', (join) =>
          join.on((eb) =>
            eb(
              'subscriptions.subscription_id',
              '=',
              eb.fn.coalesce('lines.subscription_id', 'invoices.subscription_id'),
            ),
          ),
        )
        .leftJoin('fx', (join) =>
          join
            .onRef('fx.currency', '=', 'lines.currency')
            .on((eb) => eb('fx.rate_date', '=', dialect.toDate(ts(eb.ref('lines.period_start'))))),
        )
      const withDiscounts =
        policy.options.discounts === 'forever_only'
          ? q.leftJoin(
              (eb) =>
                eb
                  .selectFrom('discounts')
                  .select((d) => [
                    'discounts.line_key',
                    // A discount whose coupon cannot be resolved is deducted: unknown is not "not forever".
                    d.fn
                      .sum<number>(
                        sql`CASE WHEN coalesce(${d.ref('discounts.coupon_duration')}, 'forever') = 'forever' THEN ${d.ref('discounts.amount')} ELSE 0 END`,
                      )
                      .as('forever_amount'),
                  ])
                  .groupBy('discounts.line_key')
                  .as('kept'),
              (join) => join.onRef('kept.line_key', '=', 'lines.line_key'),
            )
          : q
      return withDiscounts
        .select((eb) => {
          const r = rules(dialect, policy, {
            periodStart: ts(eb.ref('lines.period_start')),
            periodEnd: ts(eb.ref('lines.period_end')),
            invoiceStatus: eb.ref('invoices.status'),
            dueAt: sql<string>`coalesce(${eb.ref('invoices.due_at')}, ${eb.ref('invoices.invoice_at')})`,
            subscriptionStatus: eb.ref('subscriptions.status'),
            canceledAt: eb.ref('subscriptions.canceled_at'),
            trialStart: eb.ref('subscriptions.trial_start'),
            trialEnd: eb.ref('subscriptions.trial_end'),
          })
          const gross = sql<number>`coalesce(${eb.ref('lines.amount')}, 0)`
          const discount =
            policy.options.discounts === 'forever_only'
              ? sql<number>`coalesce(${sql.ref('kept.forever_amount')}, 0)`
              : sql<number>`coalesce(${eb.ref('lines.discount_amount')}, 0)`
          const inclusiveTax = sql<number>`coalesce(${eb.ref('lines.inclusive_tax_amount')}, 0)`
          const interval = sql<
            string | null
          >`coalesce(${eb.ref('lines.billing_interval')}, ${eb.ref('prices.billing_interval')})`
          const intervalCount = sql<number>`coalesce(${eb.ref('lines.interval_count')}, ${eb.ref('prices.interval_count')}, 1)`
          const perMonth = sql<number>`CASE ${interval} ${sql.join(
            Object.entries(PER_MONTH).map(
              ([unit, factor]) => sql`WHEN ${unit} THEN ${sql.raw(dialect.literal(factor))}`,
            ),
            sql` `,
          )} END`
          const unit = sql<
            number | null
          >`coalesce(${eb.ref('lines.unit_amount')}, ${eb.ref('prices.unit_amount')})`
          // Unit × quantity; a price without a unit amount (tiered) falls back to the line's own amount.
          const perInterval = sql<number>`CASE WHEN ${unit} IS NOT NULL THEN ${unit} * coalesce(${eb.ref('lines.quantity')}, 1) ELSE abs(${gross}) END`
          const subscriptionId = eb.fn.coalesce('lines.subscription_id', 'invoices.subscription_id')
          return [
            'lines.line_key',
            'lines.invoice_id',
            eb.ref('invoices.status').$notNull().as('invoice_status'),
            eb.ref('invoices.customer_id').$notNull().as('customer_id'),
            subscriptionId.as('subscription_id'),
            sql<string>`coalesce(${eb.ref('lines.subscription_item_id')}, ${dialect.concat(subscriptionId, sql.lit(':'), eb.ref('lines.price_id'))}, ${eb.ref('lines.line_key')})`.as(
              'subscription_item_id',
            ),
            'lines.price_id',
            eb.fn.coalesce('lines.product_id', 'prices.product_id').as('product_id'),
            eb.ref('lines.currency').$notNull().as('currency'),
            interval.as('billing_interval'),
            intervalCount.as('interval_count'),
            'lines.quantity',
            'lines.is_proration',
            r.isTrial.as('is_trial'),
            sql<boolean>`(${r.standing} AND ${gross} <> 0 AND NOT ${r.isTrial})`.as('counts'),
            ts(eb.ref('lines.period_start')).as('period_start'),
            ts(eb.ref('lines.period_end')).as('period_end'),
            r.effectiveEnd.as('effective_end'),
            gross.as('gross_native'),
            discount.as('discount_native'),
            inclusiveTax.as('inclusive_tax_native'),
            sql<number>`CASE WHEN ${gross} = 0 THEN 0 ELSE ${perInterval} * ${perMonth} / ${intervalCount} * ((${gross} - ${discount} - ${inclusiveTax}) / ${gross}) * sign(${gross}) END`.as(
              'run_rate_native',
            ),
            'fx.rate as fx_rate',
            dialect.dateTrunc('month', dialect.toDate(ts(eb.ref('lines.period_start')))).as('first_month'),
            dialect
              .dateAdd('month', -1, dialect.dateTrunc('month', dialect.toDate(r.effectiveEnd)))
              .as('last_month'),
          ]
        })
        .where('invoices.is_deleted', '=', false)
        .where('invoices.status', 'is not', null)
        .where('invoices.status', '<>', 'draft')
        .where('invoices.customer_id', 'is not', null)
        .where('lines.currency', 'is not', null)
        .where('lines.period_start', 'is not', null)
        .where('lines.period_end', 'is not', null)
        .where(
          sql<boolean>`coalesce(${sql.ref('lines.price_type')}, ${sql.ref('prices.price_type')}) = 'recurring'`,
        )
        .where(
          sql<boolean>`coalesce(${sql.ref('lines.usage_type')}, ${sql.ref('prices.usage_type')}, 'licensed') = 'licensed'`,
        )
    },
    tests: (t) => [
      t.unique('line_key'),
      t.acceptedValues('billing_interval', ['day', 'week', 'month', 'year']),
      // A rate is missing when fx_rates.csv lacks the currency: MRR cannot be converted, so stop here.
      t.notNull('fx_rate'),
    ],
    // The normalisation under METRICS.md's options; other policies are covered by the trap fixtures.
    unitTests: hasDefaultOptions(policy)
      ? [
          {
            name: 'normalises_each_line_to_a_monthly_run_rate',
            given: {
              invoices: [
                { invoice_id: 'in_paid', customer_id: 'c1', status: 'paid', is_deleted: false },
                { invoice_id: 'in_void', customer_id: 'c1', status: 'void', is_deleted: false },
                { invoice_id: 'in_open', customer_id: 'c1', status: 'open', is_deleted: false },
                { invoice_id: 'in_dead', customer_id: 'c1', status: 'open', is_deleted: false },
                { invoice_id: 'in_draft', customer_id: 'c1', status: 'draft', is_deleted: false },
              ],
              subscriptions: [
                { subscription_id: 'sub_due', status: 'past_due' },
                { subscription_id: 'sub_gone', status: 'canceled', canceled_at: '2024-01-20T00:00:00.000Z' },
              ],
              lines: [
                // $2,000 a year is $166.67 a month (ChartMogul's example), over 12 month ends.
                line('annual', {
                  amount: 2000,
                  unit_amount: 2000,
                  billing_interval: 'year',
                  period_end: YEAR_LATER,
                }),
                line('weekly', {
                  amount: 10,
                  unit_amount: 10,
                  billing_interval: 'week',
                  period_end: WEEK_LATER,
                }),
                line('daily', { amount: 1, unit_amount: 1, billing_interval: 'day', period_end: DAY_LATER }),
                line('quarterly', {
                  amount: 300,
                  unit_amount: 300,
                  interval_count: 3,
                  period_end: QUARTER_LATER,
                }),
                line('seats', { amount: 150, unit_amount: 50, quantity: 3 }),
                line('discounted', { amount: 100, unit_amount: 100, discount_amount: 20 }),
                line('tax_inclusive', { amount: 119, unit_amount: 119, inclusive_tax_amount: 19 }),
                line('credit', {
                  amount: -50,
                  unit_amount: 100,
                  is_proration: true,
                  period_start: MID_MONTH,
                }),
                line('tiered', { amount: 500, unit_amount: null }),
                line('euros', { amount: 100, unit_amount: 100, currency: 'EUR' }),
                line('trial', { amount: 0, unit_amount: 100 }),
                line('voided', { amount: 100, unit_amount: 100, invoice_id: 'in_void' }),
                line('past_due', {
                  amount: 100,
                  unit_amount: 100,
                  invoice_id: 'in_open',
                  subscription_id: 'sub_due',
                }),
                line('unpaid_then_canceled', {
                  amount: 100,
                  unit_amount: 100,
                  invoice_id: 'in_dead',
                  subscription_id: 'sub_gone',
                }),
                line('draft', { amount: 100, unit_amount: 100, invoice_id: 'in_draft' }),
                line('metered', { amount: 70, unit_amount: 1, usage_type: 'metered' }),
                line('one_time', {
                  amount: 1500,
                  unit_amount: 1500,
                  price_type: 'one_time',
                  billing_interval: null,
                }),
              ],
              fx: [
                { rate_date: '2024-01-01', currency: 'USD', rate: 1 },
                { rate_date: '2024-01-16', currency: 'USD', rate: 1 },
                { rate_date: '2024-01-01', currency: 'EUR', rate: 1.1 },
              ],
            },
            expect: [
              run('annual', 2000 / 12, '2024-12-01'),
              run('weekly', (10 * 52) / 12, '2023-12-01'),
              run('daily', 365 / 12, '2023-12-01'),
              run('quarterly', 100, '2024-03-01'),
              run('seats', 150),
              run('discounted', 80),
              run('tax_inclusive', 100),
              run('credit', -100),
              run('tiered', 500),
              { ...run('euros', 100), fx_rate: 1.1 },
              { ...run('trial', 0), counts: false },
              { ...run('voided', 100), counts: false },
              run('past_due', 100),
              { ...run('unpaid_then_canceled', 100), counts: false },
            ],
          },
        ]
      : [],
  }),
)

const MONTH_START = '2024-01-01T00:00:00.000Z'
const MID_MONTH = '2024-01-16T00:00:00.000Z'
const MONTH_LATER = '2024-02-01T00:00:00.000Z'
const DAY_LATER = '2024-01-02T00:00:00.000Z'
const WEEK_LATER = '2024-01-08T00:00:00.000Z'
const QUARTER_LATER = '2024-04-01T00:00:00.000Z'
const YEAR_LATER = '2025-01-01T00:00:00.000Z'

/** A paid monthly USD line for January 2024, with what a case changes. */
function line(line_key: string, row: Partial<RowOf<typeof stgStripeInvoiceLineItems>>) {
  return {
    line_key,
    invoice_id: 'in_paid',
    currency: 'USD',
    price_type: 'recurring',
    billing_interval: 'month',
    quantity: 1,
    is_proration: false,
    period_start: MONTH_START,
    period_end: MONTH_LATER,
    ...row,
  }
}

/** The expected run-rate of a counting USD line; a January line reaches January's month end. */
function run(line_key: string, run_rate_native: number, last_month = '2024-01-01') {
  return { line_key, counts: true, run_rate_native, fx_rate: 1, first_month: '2024-01-01', last_month }
}

function hasDefaultOptions(policy: RevenuePolicy): boolean {
  return JSON.stringify(policy.options) === JSON.stringify(MRR_POLICY_V1.options)
}

interface LineFacts {
  readonly periodStart: Expression<string>
  readonly periodEnd: Expression<string>
  readonly invoiceStatus: Expression<string | null>
  readonly dueAt: Expression<string | null>
  readonly subscriptionStatus: Expression<string | null>
  readonly canceledAt: Expression<string | null>
  readonly trialStart: Expression<string | null>
  readonly trialEnd: Expression<string | null>
}

/** The policy's rules for one line, as SQL; each option changes the SQL it compiles to. */
function rules(dialect: SqlDialect, policy: RevenuePolicy, l: LineFacts) {
  const { cancellation, pastDue } = policy.options
  // Past due counts until the subscription is cancelled or marked unpaid; then its unpaid periods never count.
  const standing = sql<boolean>`(${l.invoiceStatus} = 'paid' OR (${l.invoiceStatus} = 'open' AND coalesce(${l.subscriptionStatus}, '') NOT IN ('canceled', 'unpaid', 'incomplete_expired')))`
  // Trials are not MRR: a line inside the subscription's trial never counts, whatever its amount.
  const isTrial = sql<boolean>`coalesce(${l.periodStart} >= ${l.trialStart} AND ${l.periodEnd} <= ${l.trialEnd}, FALSE)`
  let end: Expression<string> = l.periodEnd
  if (cancellation === 'immediately') {
    end = sql<string>`CASE WHEN ${l.canceledAt} < ${end} THEN ${l.canceledAt} ELSE ${end} END`
  }
  if (pastDue.mode === 'churn_after_days') {
    // Day precision: the unpaid invoice stops counting at midnight UTC `days` days after it fell due.
    const cutoff = dialect.cast<string>(
      dialect.dateAdd('day', pastDue.days, dialect.toDate(sql<string>`${l.dueAt}`)),
      'timestamp',
    )
    end = sql<string>`CASE WHEN ${l.invoiceStatus} = 'open' AND ${cutoff} < ${end} THEN ${cutoff} ELSE ${end} END`
  }
  return { standing, isTrial, effectiveEnd: sql<string>`${end}` }
}
