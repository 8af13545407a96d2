import type { MetricCase } from '../../testing/metric-case.js'
import { billingCases } from './billing.js'
import { marketingCases } from './marketing.js'
import { retentionCases } from './retention.js'
import { salesCases } from './sales.js'

/** Every metric unit test of the catalog; `revops check` requires each metric to appear in one. */
export const metricCases: readonly MetricCase[] = [
  ...billingCases,
  ...retentionCases,
  ...salesCases,
  ...marketingCases,
]
