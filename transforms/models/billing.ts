import type { Model } from '../framework/index.js'
import { loadRevenuePolicy } from './policy-config.js'
import { MRR_POLICY_V1, type RevenuePolicy } from './revenue-policy.js'
import { stgFinanceAccountMap } from './staging/finance/stg-finance-account-map.js'
import { stgFinanceFxRates } from './staging/finance/stg-finance-fx-rates.js'
import { stgStripeCustomers } from './staging/stripe/stg-stripe-customers.js'

/** The billing side's models (Stripe and finance inputs) under a revenue policy. */
export function createBillingModels(policy: RevenuePolicy = MRR_POLICY_V1): readonly Model[] {
  void policy
  return [stgStripeCustomers, stgFinanceAccountMap, stgFinanceFxRates]
}

/** The revenue policy of this run (revops.config.json or $REVOPS_POLICY; default mrr-policy v1). */
export const activePolicy: RevenuePolicy = loadRevenuePolicy()

/** The billing models under the active policy. */
export const billingModels: readonly Model[] = createBillingModels(activePolicy)
