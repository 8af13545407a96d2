import type { CouponDef, Currency } from './catalog.js'

/**
 * The generator's internal model of the billing side. Stripe objects (both API shapes) and the
 * ground-truth MRR are both derived from it, so the two always describe the same company.
 */

export interface DiscountModel {
  id: string
  coupon: CouponDef
  customerId: string
  subscriptionId: string
  start: number
  /** null for `forever`. */
  end: number | null
}

export interface TaxModel {
  rateKey: string
  rateId: string
  percentage: number
  inclusive: boolean
  amount: number
  taxable: number
}

export type LineKind = 'subscription' | 'proration' | 'metered' | 'one_time'

export interface LineModel {
  id: string
  invoiceId: string
  kind: LineKind
  priceKey: string
  quantity: number
  /** Gross amount in minor units, signed (a proration credit is negative); includes tax for inclusive prices. */
  amount: number
  periodStart: number
  periodEnd: number
  discounts: { discountId: string; amount: number }[]
  tax: TaxModel | null
  subscriptionId: string | null
  subscriptionItemId: string | null
  invoiceItemId: string | null
  creditedLine: { invoiceId: string; lineId: string } | null
  description: string
}

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'void' | 'uncollectible'

export type PaymentPlan =
  | { kind: 'pay' }
  /** Fails `failures` times, then succeeds at the next retry. */
  | { kind: 'recover'; failures: number }
  /** Fails every retry; then the invoice is written off (`uncollectible`) at `writeOffAt`. */
  | { kind: 'write_off'; writeOffAt: number }
  /** Fails every retry up to the export instant; still open (past due) at export. */
  | { kind: 'past_due' }
  | { kind: 'none' }

export interface InvoiceModel {
  id: string
  number: string
  customerId: string
  subscriptionId: string | null
  currency: Currency
  created: number
  finalizedAt: number | null
  status: InvoiceStatus
  billingReason: 'subscription_create' | 'subscription_cycle' | 'subscription_update' | 'manual'
  periodStart: number
  periodEnd: number
  lines: LineModel[]
  discountIds: string[]
  payment: PaymentPlan
  paidAt: number | null
  voidedAt: number | null
  uncollectibleAt: number | null
  /** Filled by the balance pass. */
  startingBalance: number
  endingBalance: number
  amountDue: number
  amountPaid: number
  chargeIds: string[]
  /** The payment (charge) that paid it, if any. */
  paidChargeId: string | null
  paymentIntentId: string | null
  creditNoteAmount: number
}

export interface ItemState {
  id: string
  priceKey: string
  quantity: number
  created: number
}

export type SubStatus =
  | 'trialing'
  | 'active'
  | 'past_due'
  | 'canceled'
  | 'unpaid'
  | 'paused'
  | 'incomplete_expired'

/** The subscription as it stands at one moment (the export, or an event). */
export interface SubState {
  status: SubStatus
  items: ItemState[]
  currentPeriodStart: number
  currentPeriodEnd: number
  cancelAtPeriodEnd: boolean
  cancelAt: number | null
  canceledAt: number | null
  endedAt: number | null
  cancellationReason: 'cancellation_requested' | 'payment_failed' | 'payment_disputed' | null
  cancellationFeedback: string | null
  pauseCollection: { behavior: 'void'; resumesAt: number | null } | null
  discountId: string | null
  latestInvoiceId: string | null
  billingCycleAnchor: number
}

export interface SubEvent {
  id: string
  type: string
  created: number
  state: SubState
  previous: Record<string, unknown> | null
}

export interface SubscriptionModel {
  id: string
  customerId: string
  currency: Currency
  created: number
  trialStart: number | null
  trialEnd: number | null
  trialEndBehavior: 'cancel' | 'pause' | 'create_invoice'
  legacy: boolean
  state: SubState
  events: SubEvent[]
  /** Scenario tags for the ground-truth notes, e.g. `upgrade`, `paused`, `immediate_cancel`. */
  tags: string[]
  metadata: Record<string, string>
}

export interface ChargeModel {
  id: string
  paymentIntentId: string
  customerId: string
  invoiceId: string | null
  amount: number
  currency: Currency
  created: number
  status: 'succeeded' | 'failed'
  failureCode: string | null
  amountRefunded: number
  legacy: boolean
}

export interface RefundModel {
  id: string
  chargeId: string
  paymentIntentId: string
  amount: number
  currency: Currency
  created: number
  reason: 'requested_by_customer' | 'duplicate' | null
}

export interface CreditNoteModel {
  id: string
  number: string
  invoiceId: string
  customerId: string
  currency: Currency
  created: number
  amount: number
  reason: 'product_unsatisfactory' | 'order_change' | 'duplicate'
  refundId: string | null
  lineId: string
}

export interface CustomerModel {
  id: string
  name: string
  email: string
  currency: Currency
  created: number
  country: string
  taxRateKey: string | null
  legacy: boolean
  description: string | null
  metadata: Record<string, string>
  balance: number
  subscriptions: SubscriptionModel[]
  invoices: InvoiceModel[]
  charges: ChargeModel[]
  refunds: RefundModel[]
  creditNotes: CreditNoteModel[]
  discounts: DiscountModel[]
}
