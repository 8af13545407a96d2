import { z } from 'zod'
import { defineEntity, type EntityContract, type Tombstone } from '../contract.js'
import { epochSeconds, fromEpochSeconds, requiredCurrency } from '../fields.js'

/**
 * Stripe API objects, one per line exactly as the API returns them (amounts in minor units,
 * timestamps in Unix seconds). Both shapes are accepted: before 2025-03-31 (subscription
 * `current_period_*`, `invoice.subscription`, line `price`/`plan`/`subscription`) and from
 * 2025-03-31 "basil" on (periods on subscription items, `invoice.parent`, line `parent`/`pricing`).
 *
 * Cursor: Stripe objects carry `created` only; `updated` is used where an export adds it (Sigma
 * and data-pipeline tables do), else `created`. A later version of the same object then has the
 * same cursor, so staging breaks the tie by `_ingested_at` (the newer landing wins); pulls that
 * rehydrate objects from events pass the event time instead. Invoice line items have neither
 * field: their cursor is null.
 *
 * Deleted objects (`{"id": …, "object": …, "deleted": true}`) land as tombstones with `_deleted`.
 */

/** An expandable reference: an id, or the expanded object with its id. */
const ref = z.union([z.string().min(1), z.looseObject({ id: z.string().min(1) })])
const optionalEpoch = epochSeconds().nullable().optional()
const list = <T extends z.ZodType>(item: T) => z.looseObject({ data: z.array(item) })

const base = {
  id: z.string().min(1),
  object: z.string().optional(),
  created: epochSeconds(),
  updated: optionalEpoch,
  livemode: z.boolean().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
}

type StripeObject = { created?: number | null; updated?: number | null }

function stripeCursor(record: StripeObject): string | null {
  const at = record.updated ?? record.created
  return typeof at === 'number' ? fromEpochSeconds(at) : null
}

const tombstone: Tombstone = {
  when: (value) => value.deleted === true,
  schema: z.looseObject({
    id: z.string().min(1),
    deleted: z.literal(true),
    created: optionalEpoch,
    updated: optionalEpoch,
  }),
  cursor: (record) => stripeCursor(record as StripeObject),
}

function stripeEntity<S extends z.ZodType<Record<string, unknown> & StripeObject>>(
  entity: string,
  schema: S,
  options: { fileNames?: readonly string[]; primaryKey?: readonly string[] } = {},
): EntityContract {
  return defineEntity({
    source: 'stripe',
    entity,
    fileNames: options.fileNames ?? [entity],
    schema,
    tombstone,
    primaryKey: options.primaryKey ?? ['id'],
    cursorField: 'updated, else created',
    cursor: stripeCursor,
    deletedField: 'deleted',
    deleted: () => false,
  })
}

const subscriptionItemFields = {
  ...base,
  subscription: z.string().min(1),
  price: z
    .looseObject({ id: z.string().min(1) })
    .nullable()
    .optional(),
  plan: z
    .looseObject({ id: z.string().min(1) })
    .nullable()
    .optional(),
  quantity: z.int().nonnegative().nullable().optional(),
  // 2025-03-31+: the billing period lives on the item.
  current_period_start: optionalEpoch,
  current_period_end: optionalEpoch,
}

const lineItem = z.looseObject({
  id: z.string().min(1),
  object: z.string().optional(),
  amount: z.int(),
  currency: requiredCurrency(),
  period: z.looseObject({ start: epochSeconds(), end: epochSeconds() }),
  quantity: z.int().nullable().optional(),
  // Before 2025-03-31:
  price: z
    .looseObject({ id: z.string().min(1) })
    .nullable()
    .optional(),
  plan: z
    .looseObject({ id: z.string().min(1) })
    .nullable()
    .optional(),
  proration: z.boolean().optional(),
  subscription: ref.nullable().optional(),
  subscription_item: ref.nullable().optional(),
  type: z.string().optional(),
  // 2025-03-31+:
  parent: z.looseObject({ type: z.string() }).nullable().optional(),
  pricing: z.looseObject({ type: z.string() }).nullable().optional(),
})

export const stripeEntities: readonly EntityContract[] = [
  stripeEntity(
    'customers',
    z.looseObject({
      ...base,
      email: z.string().nullable().optional(),
      name: z.string().nullable().optional(),
      currency: requiredCurrency().nullable().optional(),
      balance: z.int().optional(),
      delinquent: z.boolean().nullable().optional(),
    }),
  ),
  stripeEntity(
    'subscriptions',
    z.looseObject({
      ...base,
      customer: ref,
      status: z.string().min(1),
      items: list(z.looseObject(subscriptionItemFields)).optional(),
      start_date: optionalEpoch,
      // Before 2025-03-31 the period is on the subscription.
      current_period_start: optionalEpoch,
      current_period_end: optionalEpoch,
      cancel_at: optionalEpoch,
      cancel_at_period_end: z.boolean().optional(),
      canceled_at: optionalEpoch,
      ended_at: optionalEpoch,
      trial_start: optionalEpoch,
      trial_end: optionalEpoch,
      currency: requiredCurrency().optional(),
      latest_invoice: ref.nullable().optional(),
    }),
  ),
  stripeEntity('subscription_items', z.looseObject(subscriptionItemFields)),
  stripeEntity(
    'prices',
    z.looseObject({
      ...base,
      currency: requiredCurrency(),
      product: ref,
      type: z.string().min(1),
      active: z.boolean().optional(),
      unit_amount: z.int().nullable().optional(),
      unit_amount_decimal: z.string().nullable().optional(),
      recurring: z
        .looseObject({ interval: z.string().min(1), interval_count: z.int().positive() })
        .nullable()
        .optional(),
    }),
  ),
  stripeEntity('products', z.looseObject({ ...base, name: z.string(), active: z.boolean().optional() })),
  stripeEntity(
    'coupons',
    z.looseObject({
      ...base,
      duration: z.string().min(1),
      percent_off: z.number().nullable().optional(),
      amount_off: z.int().nullable().optional(),
      currency: requiredCurrency().nullable().optional(),
      duration_in_months: z.int().nullable().optional(),
      valid: z.boolean().optional(),
    }),
  ),
  stripeEntity(
    'invoices',
    z.looseObject({
      ...base,
      customer: ref.nullable(),
      status: z.string().nullable(),
      currency: requiredCurrency(),
      total: z.int(),
      subtotal: z.int().optional(),
      amount_due: z.int(),
      amount_paid: z.int(),
      amount_remaining: z.int().optional(),
      period_start: optionalEpoch,
      period_end: optionalEpoch,
      effective_at: optionalEpoch,
      billing_reason: z.string().nullable().optional(),
      // Before 2025-03-31:
      subscription: ref.nullable().optional(),
      // 2025-03-31+:
      parent: z.looseObject({ type: z.string() }).nullable().optional(),
      lines: list(lineItem).optional(),
    }),
  ),
  // Line items have no `created`; `base` is not used. Old line ids (sli_…) repeat across
  // invoices, so the key is invoice + id.
  stripeEntity(
    'invoice_line_items',
    z.looseObject({ ...lineItem.shape, invoice: z.string().min(1), updated: optionalEpoch }),
    { fileNames: ['invoice_line_items', 'invoice_lines', 'line_items'], primaryKey: ['invoice', 'id'] },
  ),
  stripeEntity(
    'charges',
    z.looseObject({
      ...base,
      amount: z.int(),
      amount_captured: z.int().optional(),
      amount_refunded: z.int().optional(),
      currency: requiredCurrency(),
      status: z.string().min(1),
      paid: z.boolean().optional(),
      refunded: z.boolean().optional(),
      customer: ref.nullable().optional(),
      invoice: ref.nullable().optional(),
      payment_intent: ref.nullable().optional(),
    }),
  ),
  stripeEntity(
    'refunds',
    z.looseObject({
      ...base,
      amount: z.int(),
      currency: requiredCurrency(),
      charge: ref.nullable().optional(),
      payment_intent: ref.nullable().optional(),
      status: z.string().nullable().optional(),
      reason: z.string().nullable().optional(),
    }),
  ),
  stripeEntity(
    'credit_notes',
    z.looseObject({
      ...base,
      invoice: ref,
      amount: z.int(),
      currency: requiredCurrency(),
      total: z.int().optional(),
      status: z.string().optional(),
      type: z.string().optional(),
      voided_at: optionalEpoch,
    }),
  ),
  stripeEntity(
    'events',
    z.looseObject({
      ...base,
      type: z.string().min(1),
      api_version: z.string().nullable().optional(),
      data: z.looseObject({ object: z.looseObject({}) }),
    }),
  ),
]
