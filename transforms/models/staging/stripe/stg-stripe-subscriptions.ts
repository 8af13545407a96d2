import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { stripeSources } from '../../sources/stripe.js'
import { payloadReader } from '../envelope/payload-reader.js'
import { rankedVersions } from '../envelope/versions.js'

const timestamp = () => z.iso.datetime().nullable()

/**
 * One row per subscription as it stands now: the state facts METRICS.md adds to invoice history
 * (trial, pause, cancellation). Before 2025-03-31 the current period is on the subscription; from
 * then on it is on each item, so the first item's period stands in for it.
 */
export const stgStripeSubscriptions = defineModel({
  name: 'stg_stripe__subscriptions',
  layer: 'staging',
  materialized: 'table',
  description: 'Stripe subscriptions, latest version each, both API shapes in one typed shape.',
  inputs: { raw: stripeSources.subscriptions },
  columns: z.object({
    subscription_id: z.string(),
    customer_id: z.string().nullable(),
    /** incomplete | incomplete_expired | trialing | active | past_due | canceled | unpaid | paused */
    status: z.string().nullable(),
    currency: z.string().nullable(),
    collection_method: z.string().nullable(),
    created_at: timestamp(),
    start_date: timestamp(),
    current_period_start: timestamp(),
    current_period_end: timestamp(),
    trial_start: timestamp(),
    trial_end: timestamp(),
    cancel_at_period_end: z.boolean().nullable(),
    cancel_at: timestamp(),
    canceled_at: timestamp(),
    ended_at: timestamp(),
    /** `pause_collection.behavior` (void | keep_as_draft | mark_uncollectible) while collection is paused. */
    pause_behavior: z.string().nullable(),
    pause_resumes_at: timestamp(),
    latest_invoice_id: z.string().nullable(),
    /** The discount objects as JSON text (`discount` before 2025-03-31; `discounts` when expanded), for coupon lookups. */
    discount_json: z.string().nullable(),
    discounts_json: z.string().nullable(),
    is_deleted: z.boolean(),
  }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(rankedVersions(db).as('v'))
      .select((eb) => {
        const p = payloadReader(dialect, eb.ref('v.payload'))
        return [
          'v._id as subscription_id',
          p.id('customer').as('customer_id'),
          p.text('status').as('status'),
          p.currency('currency').as('currency'),
          p.text('collection_method').as('collection_method'),
          p.timestamp('created').as('created_at'),
          p.timestamp('start_date').as('start_date'),
          eb.fn
            .coalesce(p.timestamp('current_period_start'), p.timestamp('items.data.0.current_period_start'))
            .as('current_period_start'),
          eb.fn
            .coalesce(p.timestamp('current_period_end'), p.timestamp('items.data.0.current_period_end'))
            .as('current_period_end'),
          p.timestamp('trial_start').as('trial_start'),
          p.timestamp('trial_end').as('trial_end'),
          p.bool('cancel_at_period_end').as('cancel_at_period_end'),
          p.timestamp('cancel_at').as('cancel_at'),
          p.timestamp('canceled_at').as('canceled_at'),
          p.timestamp('ended_at').as('ended_at'),
          p.text('pause_collection.behavior').as('pause_behavior'),
          p.timestamp('pause_collection.resumes_at').as('pause_resumes_at'),
          p.id('latest_invoice').as('latest_invoice_id'),
          p.json('discount').as('discount_json'),
          p.json('discounts').as('discounts_json'),
          'v.is_deleted',
        ]
      })
      .where('v.live_rank', '=', 1),
  tests: (t) => [
    t.unique('subscription_id'),
    t.acceptedValues('status', [
      'incomplete',
      'incomplete_expired',
      'trialing',
      'active',
      'past_due',
      'canceled',
      'unpaid',
      'paused',
    ]),
  ],
})
