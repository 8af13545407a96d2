import { defineSource } from '../../framework/index.js'

/**
 * The Stripe entities `revops land stripe` writes to the lake (sources/stripe/stripe-entities.ts).
 * Each is `raw.stripe__<entity>`: envelopes whose payload is the API object as returned.
 */
const stripe = (entity: string, description: string) =>
  defineSource({ source: 'stripe', entity, description, freshness: { warnAfterHours: 48 } })

export const stripeSources = {
  customers: stripe('customers', 'Stripe customers (deleted ones as tombstones).'),
  subscriptions: stripe('subscriptions', 'Stripe subscriptions with their items, both API shapes.'),
  subscriptionItems: stripe('subscription_items', 'Stripe subscription items.'),
  prices: stripe('prices', 'Stripe prices (and legacy plans exported as prices).'),
  products: stripe('products', 'Stripe products.'),
  coupons: stripe('coupons', 'Stripe coupons.'),
  invoices: stripe('invoices', 'Stripe invoices; their lines may be embedded in `lines.data`.'),
  invoiceLineItems: stripe('invoice_line_items', 'Stripe invoice line items exported on their own.'),
  charges: stripe('charges', 'Stripe charges.'),
  refunds: stripe('refunds', 'Stripe refunds.'),
  creditNotes: stripe('credit_notes', 'Stripe credit notes.'),
  events: stripe('events', 'Stripe events; `data.object` is the object as it stood then.'),
} as const
