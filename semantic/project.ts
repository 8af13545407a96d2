import { Catalog } from './catalog.js'
import { billingMetrics } from './metrics/billing.js'
import { marketingMetrics } from './metrics/marketing.js'
import { retentionMetrics } from './metrics/retention.js'
import { salesMetrics } from './metrics/sales.js'
import { customers, owners } from './models/customers.js'
import { adSpend, finance, lifecycle } from './models/marketing.js'
import { customerMrr, invoices, payments, subscriptionTerms, trials } from './models/revenue.js'
import { opportunities, opportunityHistory, quotas, stageEvents } from './models/sales.js'

/** The project's semantic layer: every governed metric over the marts. */
export function projectCatalog(): Catalog {
  return new Catalog(
    [
      customers,
      owners,
      customerMrr,
      invoices,
      payments,
      subscriptionTerms,
      trials,
      opportunities,
      opportunityHistory,
      stageEvents,
      quotas,
      lifecycle,
      adSpend,
      finance,
    ],
    [...billingMetrics, ...retentionMetrics, ...salesMetrics, ...marketingMetrics],
  )
}
