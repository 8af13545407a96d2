import type Stripe from 'stripe'
import { type CouponDef, PRICES, PRODUCTS, type PriceDef, price, TAX_RATES } from './catalog.js'
import { invoiceTotals } from './ledger.js'
import type {
  ChargeModel,
  CreditNoteModel,
  CustomerModel,
  DiscountModel,
  InvoiceModel,
  LineModel,
  RefundModel,
  SubEvent,
  SubState,
  SubscriptionModel,
} from './model.js'

/**
 * Stripe API objects from the internal model, in two API shapes:
 * - current (2025-03-31.basil and later): line `pricing.price_details` and `parent.subscription_item_details`,
 *   invoice `parent.subscription_details`, `total_taxes`, line `taxes`, item-level `current_period_*`;
 * - legacy (2024-06-20): line `price`/`plan`/`proration`/`subscription`/`tax_amounts`, invoice `subscription`,
 *   `charge`, `payment_intent`, `paid`, `total_tax_amounts`, subscription-level `current_period_*`.
 */

export const API_VERSION_CURRENT = '2025-03-31.basil'
export const API_VERSION_LEGACY = '2024-06-20'

type Json = Record<string, unknown>

/** Stable catalog ids (the catalog is the same for every seed). */
export class CatalogIds {
  readonly product = new Map<string, string>()
  readonly price = new Map<string, string>()
  readonly created: number

  constructor(created: number) {
    this.created = created
    for (const [i, p] of PRODUCTS.entries())
      this.product.set(p.key, `prod_Demo${String(i + 1).padStart(10, '0')}`)
    for (const [i, p] of PRICES.entries()) {
      const slug = p.key.replace(/_/g, '').padEnd(14, '0').slice(0, 14)
      this.price.set(p.key, `price_1Demo${slug}${String(i).padStart(5, '0')}`)
    }
  }

  priceId(key: string): string {
    return this.price.get(key) ?? key
  }

  productId(key: string): string {
    return this.product.get(key) ?? key
  }
}

export function productJson(ids: CatalogIds, key: string): Json {
  const p = PRODUCTS.find((x) => x.key === key)
  if (!p) throw new Error(`unknown product ${key}`)
  return {
    id: ids.productId(key),
    object: 'product',
    active: key !== 'team_legacy',
    created: ids.created,
    default_price: PRICES.find((x) => x.product === key && x.active)
      ? ids.priceId(PRICES.find((x) => x.product === key && x.active)?.key ?? '')
      : null,
    description: p.description,
    images: [],
    livemode: true,
    marketing_features: [],
    metadata: {},
    name: p.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: 'txcd_10103001',
    type: 'service',
    unit_label: p.unitLabel,
    updated: ids.created,
    url: null,
  }
}

export function priceJson(ids: CatalogIds, p: PriceDef, legacy = false): Json {
  const recurring: Json | null =
    p.type === 'recurring'
      ? legacy
        ? {
            aggregate_usage: p.usageType === 'metered' ? 'sum' : null,
            interval: p.interval,
            interval_count: p.intervalCount,
            meter: null,
            trial_period_days: null,
            usage_type: p.usageType,
          }
        : {
            interval: p.interval,
            interval_count: p.intervalCount,
            meter: p.usageType === 'metered' ? 'mtr_Demo0000000000api' : null,
            trial_period_days: null,
            usage_type: p.usageType,
          }
      : null
  return {
    id: ids.priceId(p.key),
    object: 'price',
    active: p.active,
    billing_scheme: 'per_unit',
    created: ids.created,
    currency: p.currency,
    custom_unit_amount: null,
    livemode: true,
    lookup_key: p.key,
    metadata: {},
    nickname: p.nickname,
    product: ids.productId(p.product),
    recurring,
    tax_behavior: p.taxBehavior,
    tiers_mode: null,
    transform_quantity: null,
    type: p.type,
    unit_amount: p.unitAmount,
    unit_amount_decimal: String(p.unitAmount),
  }
}

function planJson(ids: CatalogIds, p: PriceDef): Json {
  return {
    id: ids.priceId(p.key),
    object: 'plan',
    active: p.active,
    aggregate_usage: p.usageType === 'metered' ? 'sum' : null,
    amount: p.unitAmount,
    amount_decimal: String(p.unitAmount),
    billing_scheme: 'per_unit',
    created: ids.created,
    currency: p.currency,
    interval: p.interval,
    interval_count: p.intervalCount,
    livemode: true,
    metadata: {},
    meter: null,
    nickname: p.nickname,
    product: ids.productId(p.product),
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: p.usageType,
  }
}

export function couponJson(c: CouponDef, created: number, timesRedeemed: number): Json {
  return {
    id: c.key,
    object: 'coupon',
    amount_off: c.amountOff,
    created,
    currency: c.currency,
    duration: c.duration,
    duration_in_months: c.durationInMonths,
    livemode: true,
    max_redemptions: null,
    metadata: {},
    name: c.name,
    percent_off: c.percentOff,
    redeem_by: null,
    times_redeemed: timesRedeemed,
    valid: true,
  }
}

function discountJson(d: DiscountModel, created: number, legacy: boolean): Json {
  const base: Json = {
    id: d.id,
    object: 'discount',
    checkout_session: null,
    customer: d.customerId,
    end: d.end,
    invoice: null,
    invoice_item: null,
    promotion_code: null,
    start: d.start,
    subscription: d.subscriptionId,
    subscription_item: null,
  }
  if (legacy) return { ...base, coupon: couponJson(d.coupon, created, 0) }
  return { ...base, source: { coupon: d.coupon.key, type: 'coupon' } }
}

export function customerJson(c: CustomerModel, delinquent: boolean): Json {
  return {
    id: c.id,
    object: 'customer',
    address: { city: null, country: c.country, line1: null, line2: null, postal_code: null, state: null },
    balance: c.balance,
    created: c.created,
    currency: c.currency,
    default_source: null,
    delinquent,
    description: c.description,
    discount: null,
    email: c.email,
    invoice_prefix: c.id.slice(4, 12).toUpperCase(),
    invoice_settings: {
      custom_fields: null,
      default_payment_method: `pm_${c.id.slice(4)}`,
      footer: null,
      rendering_options: null,
    },
    livemode: true,
    metadata: c.metadata,
    name: c.name,
    next_invoice_sequence: c.invoices.length + 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  }
}

export interface StripeContext {
  ids: CatalogIds
  exportAt: number
  discounts: Map<string, DiscountModel>
}

function itemJson(
  ctx: StripeContext,
  sub: SubscriptionModel,
  state: SubState,
  index: number,
  legacy: boolean,
): Json {
  const it = state.items[index]
  if (!it) throw new Error('no item')
  const p = price(it.priceKey)
  const base: Json = {
    id: it.id,
    object: 'subscription_item',
    billing_thresholds: null,
    created: it.created,
  }
  if (!legacy) {
    base.current_period_end = state.currentPeriodEnd
    base.current_period_start = state.currentPeriodStart
  }
  Object.assign(base, {
    discounts: [],
    metadata: {},
    plan: planJson(ctx.ids, p),
    price: priceJson(ctx.ids, p, legacy),
  })
  if (p.usageType === 'licensed') base.quantity = it.quantity
  base.subscription = sub.id
  base.tax_rates = []
  return base
}

export function subscriptionItemsJson(ctx: StripeContext, sub: SubscriptionModel): Json[] {
  return sub.state.items.map((_, i) => itemJson(ctx, sub, sub.state, i, sub.legacy))
}

/** Whether the subscription's discount is still attached at `at` (a `once` coupon falls off after the first invoice). */
function activeDiscount(
  ctx: StripeContext,
  state: SubState,
  at: number,
  afterFirstInvoice: boolean,
): DiscountModel | null {
  if (!state.discountId) return null
  const d = ctx.discounts.get(state.discountId)
  if (!d) return null
  if (d.coupon.duration === 'once' && afterFirstInvoice) return null
  if (d.end !== null && at >= d.end) return null
  return d
}

export function subscriptionJson(
  ctx: StripeContext,
  sub: SubscriptionModel,
  state: SubState,
  at: number,
): Json {
  const legacy = sub.legacy
  const d = activeDiscount(
    ctx,
    state,
    at,
    state.latestInvoiceId !== null && (sub.trialEnd === null || at >= sub.trialEnd),
  )
  const items = {
    object: 'list',
    data: state.items.map((_, i) => itemJson(ctx, sub, state, i, legacy)),
    has_more: false,
    total_count: state.items.length,
    url: `/v1/subscription_items?subscription=${sub.id}`,
  }
  const cancellation = {
    comment: null,
    feedback: state.cancellationFeedback,
    reason: state.cancellationReason,
  }
  const out: Json = {
    id: sub.id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: state.billingCycleAnchor,
    billing_cycle_anchor_config: null,
  }
  if (!legacy) out.billing_mode = { flexible: null, type: 'classic' }
  Object.assign(out, {
    billing_thresholds: null,
    cancel_at: state.cancelAt,
    cancel_at_period_end: state.cancelAtPeriodEnd,
    canceled_at: state.canceledAt,
    cancellation_details: cancellation,
    collection_method: 'charge_automatically',
    created: sub.created,
    currency: sub.currency,
  })
  if (legacy) {
    out.current_period_end = state.currentPeriodEnd
    out.current_period_start = state.currentPeriodStart
  }
  Object.assign(out, {
    customer: sub.customerId,
    days_until_due: null,
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
  })
  if (legacy) out.discount = d ? discountJson(d, ctx.ids.created, true) : null
  Object.assign(out, {
    discounts: d ? [d.id] : [],
    ended_at: state.endedAt,
    invoice_settings: { account_tax_ids: null, issuer: { type: 'self' } },
    items,
    latest_invoice: state.latestInvoiceId,
    livemode: true,
    metadata: sub.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: state.pauseCollection
      ? { behavior: state.pauseCollection.behavior, resumes_at: state.pauseCollection.resumesAt }
      : null,
    payment_settings: {
      payment_method_options: null,
      payment_method_types: null,
      save_default_payment_method: 'off',
    },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: sub.created,
    status: state.status,
    test_clock: null,
    transfer_data: null,
    trial_end: sub.trialEnd,
    trial_settings: {
      end_behavior: {
        missing_payment_method:
          sub.trialEndBehavior === 'pause'
            ? 'pause'
            : sub.trialEndBehavior === 'cancel'
              ? 'cancel'
              : 'create_invoice',
      },
    },
    trial_start: sub.trialStart,
  })
  return out
}

function lineIsProration(l: LineModel): boolean {
  return l.kind === 'proration'
}

export function lineJson(ctx: StripeContext, l: LineModel, legacy: boolean, currency: string): Json {
  const p = price(l.priceKey)
  const discounts = l.discounts.filter((d) => d.amount !== 0 || l.amount !== 0)
  const discountAmounts = discounts.map((d) => ({ amount: d.amount, discount: d.discountId }))
  const discountTotal = discounts.reduce((s, d) => s + d.amount, 0)
  const creditedItems = l.creditedLine
    ? { invoice: l.creditedLine.invoiceId, invoice_line_items: [l.creditedLine.lineId] }
    : null
  const prorationDetails = l.kind === 'proration' ? { credited_items: creditedItems } : null
  const isItem = l.kind === 'one_time'
  if (legacy) {
    const excl = l.amount - (l.tax?.inclusive ? l.tax.amount : 0)
    return {
      id: l.id,
      object: 'line_item',
      amount: l.amount,
      amount_excluding_tax: excl - discountTotal,
      currency,
      description: l.description,
      discount_amounts: discountAmounts,
      discountable: l.kind === 'subscription',
      discounts: discounts.map((d) => d.discountId),
      invoice: l.invoiceId,
      invoice_item: isItem || l.kind === 'proration' ? l.invoiceItemId : undefined,
      livemode: true,
      metadata: {},
      period: { end: l.periodEnd, start: l.periodStart },
      plan: p.type === 'recurring' ? planJson(ctx.ids, p) : null,
      price: priceJson(ctx.ids, p, true),
      proration: lineIsProration(l),
      proration_details: prorationDetails ?? { credited_items: null },
      quantity: l.quantity,
      subscription: l.subscriptionId,
      subscription_item: l.subscriptionItemId ?? undefined,
      tax_amounts: l.tax
        ? [
            {
              amount: l.tax.amount,
              inclusive: l.tax.inclusive,
              tax_rate: l.tax.rateId,
              taxability_reason: null,
              taxable_amount: l.tax.taxable,
            },
          ]
        : [],
      tax_rates: [],
      type: isItem || l.kind === 'proration' ? 'invoiceitem' : 'subscription',
      unit_amount_excluding_tax: l.quantity ? String(Math.round((excl / l.quantity) * 1000) / 1000) : null,
    }
  }
  const parent: Stripe.InvoiceLineItem.Parent = isItem
    ? {
        type: 'invoice_item_details',
        invoice_item_details: {
          invoice_item: l.invoiceItemId ?? '',
          proration: false,
          proration_details: { credited_items: null },
          subscription: l.subscriptionId,
        },
        subscription_item_details: null,
      }
    : {
        type: 'subscription_item_details',
        invoice_item_details: null,
        subscription_item_details: {
          invoice_item: l.kind === 'proration' ? l.invoiceItemId : null,
          proration: lineIsProration(l),
          proration_details: prorationDetails,
          subscription: l.subscriptionId,
          subscription_item: l.subscriptionItemId ?? '',
        },
      }
  // The SDK types the decimal as its Decimal class; on the wire it is a string.
  const pricing = {
    price_details: { price: ctx.ids.priceId(p.key), product: ctx.ids.productId(p.product) },
    type: 'price_details',
    unit_amount_decimal: String(p.unitAmount),
  } satisfies Omit<Stripe.InvoiceLineItem.Pricing, 'unit_amount_decimal'> & { unit_amount_decimal: string }
  const taxes: Stripe.InvoiceLineItem.Tax[] = l.tax
    ? [
        {
          amount: l.tax.amount,
          tax_behavior: l.tax.inclusive ? 'inclusive' : 'exclusive',
          tax_rate_details: { tax_rate: l.tax.rateId },
          taxability_reason: 'standard_rated',
          taxable_amount: l.tax.taxable,
          type: 'tax_rate_details',
        },
      ]
    : []
  return {
    id: l.id,
    object: 'line_item',
    amount: l.amount,
    currency,
    description: l.description,
    discount_amounts: discountAmounts,
    discountable: l.kind === 'subscription',
    discounts: discounts.map((d) => d.discountId),
    invoice: l.invoiceId,
    livemode: true,
    metadata: {},
    parent,
    period: { end: l.periodEnd, start: l.periodStart },
    pretax_credit_amounts: discounts.map((d) => ({
      amount: d.amount,
      discount: d.discountId,
      type: 'discount',
    })),
    pricing,
    quantity: l.quantity,
    subtotal: l.amount,
    taxes,
  }
}

export function invoiceJson(
  ctx: StripeContext,
  c: CustomerModel,
  inv: InvoiceModel,
  sub: SubscriptionModel | undefined,
): Json {
  const legacy = c.legacy
  const t = invoiceTotals(inv)
  const finalized = inv.status !== 'draft'
  const amountRemaining = inv.status === 'open' || inv.status === 'uncollectible' ? inv.amountDue : 0
  const taxByRate = new Map<string, { amount: number; taxable: number; inclusive: boolean }>()
  for (const l of inv.lines) {
    if (!l.tax) continue
    const cur = taxByRate.get(l.tax.rateId) ?? { amount: 0, taxable: 0, inclusive: l.tax.inclusive }
    cur.amount += l.tax.amount
    cur.taxable += l.tax.taxable
    taxByRate.set(l.tax.rateId, cur)
  }
  const discountTotals = new Map<string, number>()
  for (const l of inv.lines)
    for (const d of l.discounts)
      discountTotals.set(d.discountId, (discountTotals.get(d.discountId) ?? 0) + d.amount)
  const totalDiscountAmounts = [...discountTotals].map(([discount, amount]) => ({ amount, discount }))
  const statusTransitions = {
    finalized_at: inv.finalizedAt,
    marked_uncollectible_at: inv.uncollectibleAt,
    paid_at: inv.status === 'paid' ? inv.paidAt : null,
    voided_at: inv.voidedAt,
  }
  const lines = {
    object: 'list',
    data: [],
    has_more: inv.lines.length > 0,
    total_count: inv.lines.length,
    url: `/v1/invoices/${inv.id}/lines`,
  }
  const out: Json = {
    id: inv.id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Northwind Metrics, Inc.',
    account_tax_ids: null,
    amount_due: inv.amountDue,
  }
  if (!legacy) out.amount_overpaid = 0
  Object.assign(out, {
    amount_paid: inv.amountPaid,
    amount_remaining: amountRemaining,
    amount_shipping: 0,
    application: null,
  })
  if (legacy) out.application_fee_amount = null
  Object.assign(out, {
    attempt_count: inv.chargeIds.length,
    attempted: inv.chargeIds.length > 0 || inv.status === 'paid',
    auto_advance: inv.status === 'open' || inv.status === 'draft',
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: inv.status === 'draft' ? inv.created + 3600 : null,
    billing_reason: inv.billingReason,
  })
  if (legacy) out.charge = inv.chargeIds.at(-1) ?? null
  Object.assign(out, {
    collection_method: 'charge_automatically',
    created: inv.created,
    currency: inv.currency,
    custom_fields: null,
    customer: c.id,
    customer_address: {
      city: null,
      country: c.country,
      line1: null,
      line2: null,
      postal_code: null,
      state: null,
    },
    customer_email: c.email,
    customer_name: c.name,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
  })
  const firstDiscount = inv.discountIds[0] ? ctx.discounts.get(inv.discountIds[0]) : undefined
  if (legacy) out.discount = firstDiscount ? discountJson(firstDiscount, ctx.ids.created, true) : null
  Object.assign(out, {
    discounts: inv.discountIds,
    due_date: null,
    effective_at: inv.finalizedAt,
    ending_balance: finalized ? inv.endingBalance : null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: finalized ? `https://invoice.stripe.com/i/acct_Demo/${inv.id}` : null,
    invoice_pdf: finalized ? `https://pay.stripe.com/invoice/acct_Demo/${inv.id}/pdf` : null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines,
    livemode: true,
    metadata: {},
    next_payment_attempt: inv.status === 'open' ? Math.max(inv.created, ctx.exportAt) + 2 * 86400 : null,
    number: finalized ? inv.number : null,
    on_behalf_of: null,
  })
  if (legacy) {
    Object.assign(out, {
      paid: inv.status === 'paid',
      paid_out_of_band: false,
      payment_intent: inv.paymentIntentId,
    })
  } else {
    const parent: Stripe.Invoice.Parent | null = inv.subscriptionId
      ? {
          type: 'subscription_details',
          quote_details: null,
          subscription_details: { metadata: sub?.metadata ?? {}, subscription: inv.subscriptionId },
        }
      : null
    out.parent = parent
  }
  Object.assign(out, {
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
  })
  if (!legacy) {
    out.payments = {
      object: 'list',
      data: inv.paymentIntentId
        ? [
            {
              id: `inpay_${inv.paymentIntentId.slice(3)}`,
              object: 'invoice_payment',
              amount_paid: inv.status === 'paid' ? inv.amountDue : null,
              amount_requested: inv.amountDue,
              created: inv.finalizedAt ?? inv.created,
              currency: inv.currency,
              invoice: inv.id,
              is_default: true,
              livemode: true,
              payment: { payment_intent: inv.paymentIntentId, type: 'payment_intent' },
              status:
                inv.status === 'paid'
                  ? 'paid'
                  : inv.status === 'void' || inv.status === 'uncollectible'
                    ? 'canceled'
                    : 'open',
              status_transitions: { canceled_at: null, paid_at: inv.status === 'paid' ? inv.paidAt : null },
            },
          ]
        : [],
      has_more: false,
      url: `/v1/invoice_payments?invoice=${inv.id}`,
    }
  }
  Object.assign(out, {
    period_end: inv.periodEnd,
    period_start: inv.periodStart,
    post_payment_credit_notes_amount: inv.creditNoteAmount,
    pre_payment_credit_notes_amount: 0,
  })
  if (legacy) out.quote = null
  Object.assign(out, {
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: inv.startingBalance,
    statement_descriptor: null,
    status: inv.status,
    status_transitions: statusTransitions,
  })
  if (legacy) {
    Object.assign(out, {
      subscription: inv.subscriptionId,
      subscription_details: { metadata: sub?.metadata ?? {} },
    })
  }
  Object.assign(out, {
    subtotal: t.subtotal,
    subtotal_excluding_tax: t.subtotal - t.taxInclusive,
  })
  if (legacy) out.tax = taxByRate.size > 0 ? t.taxExclusive + t.taxInclusive : null
  Object.assign(out, {
    test_clock: null,
    total: t.total,
    total_discount_amounts: totalDiscountAmounts,
    total_excluding_tax: t.total - t.taxExclusive - t.taxInclusive,
  })
  if (legacy) {
    out.total_tax_amounts = [...taxByRate].map(([rate, v]) => ({
      amount: v.amount,
      inclusive: v.inclusive,
      tax_rate: rate,
      taxability_reason: null,
      taxable_amount: v.taxable,
    }))
    out.transfer_data = null
  } else {
    const totalTaxes: Stripe.Invoice.TotalTax[] = [...taxByRate].map(([rate, v]) => ({
      amount: v.amount,
      tax_behavior: v.inclusive ? 'inclusive' : 'exclusive',
      tax_rate_details: { tax_rate: rate },
      taxability_reason: 'standard_rated',
      taxable_amount: v.taxable,
      type: 'tax_rate_details',
    }))
    out.total_taxes = totalTaxes
  }
  out.webhooks_delivered_at = inv.finalizedAt
  return out
}

export function chargeJson(c: ChargeModel, customer: CustomerModel): Json {
  const ok = c.status === 'succeeded'
  const out: Json = {
    id: c.id,
    object: 'charge',
    amount: c.amount,
    amount_captured: ok ? c.amount : 0,
    amount_refunded: c.amountRefunded,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: ok ? `txn_${c.id.slice(3)}` : null,
    billing_details: { address: null, email: customer.email, name: customer.name, phone: null },
    calculated_statement_descriptor: 'NORTHWIND METRICS',
    captured: ok,
    created: c.created,
    currency: c.currency,
    customer: c.customerId,
    description: 'Subscription update',
    disputed: false,
    failure_balance_transaction: null,
    failure_code: c.failureCode,
    failure_message: c.failureCode ? failureMessage(c.failureCode) : null,
    fraud_details: {},
  }
  if (c.legacy) out.invoice = c.invoiceId
  Object.assign(out, {
    livemode: true,
    metadata: {},
    on_behalf_of: null,
    outcome: ok
      ? {
          network_status: 'approved_by_network',
          reason: null,
          risk_level: 'normal',
          seller_message: 'Payment complete.',
          type: 'authorized',
        }
      : {
          network_status: 'declined_by_network',
          reason: 'generic_decline',
          risk_level: 'normal',
          seller_message: 'The bank did not return any further details with this decline.',
          type: 'issuer_declined',
        },
    paid: ok,
    payment_intent: c.paymentIntentId,
    payment_method: `pm_${c.customerId.slice(4)}`,
    payment_method_details: {
      card: {
        brand: 'visa',
        country: customer.country,
        exp_month: 12,
        exp_year: 2028,
        funding: 'credit',
        last4: '4242',
      },
      type: 'card',
    },
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: c.amountRefunded >= c.amount && c.amount > 0,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: c.status,
    transfer_data: null,
    transfer_group: null,
  })
  return out
}

function failureMessage(code: string): string {
  if (code === 'insufficient_funds') return 'Your card has insufficient funds.'
  if (code === 'expired_card') return 'Your card has expired.'
  return 'Your card was declined.'
}

export function refundJson(r: RefundModel): Json {
  return {
    id: r.id,
    object: 'refund',
    amount: r.amount,
    balance_transaction: `txn_${r.id.slice(3)}`,
    charge: r.chargeId,
    created: r.created,
    currency: r.currency,
    destination_details: {
      card: { reference_status: 'available', reference_type: 'acquirer_reference_number', type: 'refund' },
      type: 'card',
    },
    metadata: {},
    payment_intent: r.paymentIntentId,
    reason: r.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  }
}

export function creditNoteJson(cn: CreditNoteModel, legacy: boolean): Json {
  const out: Json = {
    id: cn.id,
    object: 'credit_note',
    amount: cn.amount,
    amount_shipping: 0,
    created: cn.created,
    currency: cn.currency,
    customer: cn.customerId,
    customer_balance_transaction: null,
    discount_amount: 0,
    discount_amounts: [],
    effective_at: cn.created,
    invoice: cn.invoiceId,
    lines: {
      object: 'list',
      data: [
        {
          id: `cnli_${cn.id.slice(3)}`,
          object: 'credit_note_line_item',
          amount: cn.amount,
          description: 'Partial credit',
          discount_amount: 0,
          discount_amounts: [],
          invoice_line_item: null,
          livemode: true,
          quantity: 1,
          type: 'custom_line_item',
          unit_amount: cn.amount,
          unit_amount_decimal: String(cn.amount),
        },
      ],
      has_more: false,
      url: `/v1/credit_notes/${cn.id}/lines`,
    },
    livemode: true,
    memo: null,
    metadata: {},
    number: cn.number,
    out_of_band_amount: null,
    pdf: `https://pay.stripe.com/credit_notes/acct_Demo/${cn.id}/pdf`,
    post_payment_amount: cn.amount,
    pre_payment_amount: 0,
    reason: cn.reason,
  }
  if (legacy) out.refund = cn.refundId
  else out.refunds = cn.refundId ? [{ amount_refunded: cn.amount, refund: cn.refundId, type: 'refund' }] : []
  Object.assign(out, {
    shipping_cost: null,
    status: 'issued',
    subtotal: cn.amount,
    subtotal_excluding_tax: cn.amount,
  })
  if (legacy) out.tax_amounts = []
  else out.total_taxes = []
  Object.assign(out, {
    total: cn.amount,
    total_excluding_tax: cn.amount,
    type: 'post_payment',
    voided_at: null,
  })
  return out
}

/** An event whose payload is the subscription as it stood then, in the API version of the day. */
export function eventJson(ctx: StripeContext, sub: SubscriptionModel, e: SubEvent, upgradeAt: number): Json {
  const legacy = e.created < upgradeAt
  const object = subscriptionJson(ctx, { ...sub, legacy }, e.state, e.created)
  const data: Json = { object }
  if (e.previous) data.previous_attributes = e.previous
  return {
    id: e.id,
    object: 'event',
    api_version: legacy ? API_VERSION_LEGACY : API_VERSION_CURRENT,
    created: e.created,
    data,
    livemode: true,
    pending_webhooks: 0,
    request: { id: null, idempotency_key: null },
    type: e.type,
  }
}

export function taxRateKeys(): string[] {
  return TAX_RATES.map((r) => r.key)
}
