import type { Model } from '../framework/index.js'
import { intRevenuePolicy } from './intermediate/int-revenue-policy.js'
import { dimDate } from './marts/dim-date.js'
import { fctCustomerMrrMonth } from './marts/fct-customer-mrr-month.js'
import { fctFinanceMonth } from './marts/fct-finance-month.js'
import { fctInvoice } from './marts/fct-invoice.js'
import { fctInvoiceLine } from './marts/fct-invoice-line.js'
import { fctMrrMovement } from './marts/fct-mrr-movement.js'
import { fctPayment } from './marts/fct-payment.js'
import { fctQuotaMonth } from './marts/fct-quota-month.js'
import { fctSubscriptionItemMonth } from './marts/fct-subscription-item-month.js'
import { fctSubscriptionTerm } from './marts/fct-subscription-term.js'
import { fctTrial } from './marts/fct-trial.js'
import { loadRevenuePolicy } from './policy-config.js'
import { MRR_POLICY_V1, type RevenuePolicy } from './revenue-policy.js'
import { stgFinanceAccountMap } from './staging/finance/stg-finance-account-map.js'
import { stgFinanceFxRates } from './staging/finance/stg-finance-fx-rates.js'
import { stgFinanceGrossMargin } from './staging/finance/stg-finance-gross-margin.js'
import { stgFinanceQuotas } from './staging/finance/stg-finance-quotas.js'
import { stgFinanceSmExpense } from './staging/finance/stg-finance-sm-expense.js'
import { stgStripeCharges } from './staging/stripe/stg-stripe-charges.js'
import { stgStripeCoupons } from './staging/stripe/stg-stripe-coupons.js'
import { stgStripeCreditNotes } from './staging/stripe/stg-stripe-credit-notes.js'
import { stgStripeCustomers } from './staging/stripe/stg-stripe-customers.js'
import { stgStripeEvents } from './staging/stripe/stg-stripe-events.js'
import { stgStripeInvoiceLineItems } from './staging/stripe/stg-stripe-invoice-line-items.js'
import { stgStripeInvoices } from './staging/stripe/stg-stripe-invoices.js'
import { stgStripePrices } from './staging/stripe/stg-stripe-prices.js'
import { stgStripeProducts } from './staging/stripe/stg-stripe-products.js'
import { stgStripeRefunds } from './staging/stripe/stg-stripe-refunds.js'
import { stgStripeSubscriptionItems } from './staging/stripe/stg-stripe-subscription-items.js'
import { stgStripeSubscriptions } from './staging/stripe/stg-stripe-subscriptions.js'

/** Staging models: typed, deduplicated, policy-free. */
export const billingStaging: readonly Model[] = [
  stgStripeCustomers,
  stgStripeSubscriptions,
  stgStripeSubscriptionItems,
  stgStripePrices,
  stgStripeProducts,
  stgStripeCoupons,
  stgStripeInvoices,
  stgStripeInvoiceLineItems,
  stgStripeCharges,
  stgStripeRefunds,
  stgStripeCreditNotes,
  stgStripeEvents,
  stgFinanceFxRates,
  stgFinanceAccountMap,
  stgFinanceSmExpense,
  stgFinanceGrossMargin,
  stgFinanceQuotas,
]

/** The billing side's models (Stripe and finance inputs) under a revenue policy. */
export function createBillingModels(policy: RevenuePolicy = MRR_POLICY_V1): readonly Model[] {
  return [
    ...billingStaging,
    intRevenuePolicy(policy),
    dimDate,
    fctSubscriptionItemMonth(policy),
    fctCustomerMrrMonth(policy),
    fctMrrMovement(policy),
    fctInvoice(policy),
    fctInvoiceLine(policy),
    fctPayment(policy),
    fctSubscriptionTerm(policy),
    fctTrial(policy),
    fctFinanceMonth(policy),
    fctQuotaMonth(policy),
  ]
}

/** The revenue policy of this run (revops.config.json or $REVOPS_POLICY; default mrr-policy v1). */
export const activePolicy: RevenuePolicy = loadRevenuePolicy()

/** The billing models under the active policy. */
export const billingModels: readonly Model[] = createBillingModels(activePolicy)
