import type { Model } from '../framework/index.js'
import { activePolicy } from './billing.js'
import { dimCustomer } from './marts/dim-customer.js'
import { dimOwner } from './marts/dim-owner.js'
import { fctAdSpendDaily } from './marts/fct-ad-spend-daily.js'
import { fctCampaignTouch } from './marts/fct-campaign-touch.js'
import { fctLifecycleEvent } from './marts/fct-lifecycle-event.js'
import { fctOpportunity } from './marts/fct-opportunity.js'
import { fctOpportunityDailySnapshot } from './marts/fct-opportunity-daily-snapshot.js'
import { fctOpportunityHistory } from './marts/fct-opportunity-history.js'
import { fctOpportunityStageEvent } from './marts/fct-opportunity-stage-event.js'
import { MRR_POLICY_V1, type RevenuePolicy } from './revenue-policy.js'

/**
 * The CRM and marketing side: the customer identity, the sales and marketing marts, and through
 * their inputs every Salesforce, HubSpot and ads staging model. Only the identity depends on the
 * revenue policy (its first paid month comes from the policy's MRR).
 */
export function createCrmModels(policy: RevenuePolicy = MRR_POLICY_V1): readonly Model[] {
  return [
    dimCustomer(policy),
    dimOwner,
    fctOpportunity,
    fctOpportunityHistory,
    fctOpportunityStageEvent,
    fctOpportunityDailySnapshot,
    fctLifecycleEvent,
    fctCampaignTouch,
    fctAdSpendDaily,
  ]
}

/** The CRM and marketing models under the active revenue policy. */
export const crmModels: readonly Model[] = createCrmModels(activePolicy)
