import { describe, expect, it } from 'vitest'
import { metricCases } from '../../../semantic/metrics/cases/index.js'
import { projectCatalog } from '../../../semantic/project.js'
import { runMetricCase } from '../../../semantic/testing/run-metric-case.js'

/** The governed ids of CONTRACT.md; they are stable, so this list only ever grows. */
const CONTRACT_IDS = [
  ...[
    'mrr',
    'arr',
    'new_mrr',
    'expansion_mrr',
    'contraction_mrr',
    'churned_mrr',
    'reactivation_mrr',
    'net_new_mrr',
  ],
  ...[
    'active_customers',
    'arpa',
    'asp',
    'billed_revenue',
    'cash_collected',
    'refunds',
    'revenue_growth_rate',
  ],
  ...[
    'logo_churn_rate',
    'gross_mrr_churn_rate',
    'net_mrr_churn_rate',
    'grr',
    'nrr',
    'cohort_revenue_retention',
  ],
  ...['quick_ratio', 'ltv', 'renewal_rate', 'upsell_rate', 'trial_conversion_rate'],
  ...[
    'win_rate',
    'win_rate_value',
    'avg_deal_size',
    'sales_cycle_days',
    'pipeline_velocity',
    'pipeline_coverage',
  ],
  ...['stage_conversion_rate', 'time_in_stage_days', 'quota_attainment', 'forecast_accuracy', 'bookings'],
  ...[
    'leads',
    'mqls',
    'sqls',
    'mql_to_sql_rate',
    'lead_to_customer_rate',
    'cost_per_lead',
    'cac',
    'paid_cac',
  ],
  ...['cac_payback_months', 'roas', 'marketing_roi', 'marketing_sourced_pipeline'],
]

const catalog = projectCatalog()

describe('the metric catalog', () => {
  it('defines every metric id of the contract', () => {
    const ids = new Set(catalog.metrics.map((m) => m.id))
    expect(CONTRACT_IDS.filter((id) => !ids.has(id))).toEqual([])
  })

  it('resolves every reference', () => {
    expect(catalog.validate()).toEqual([])
  })

  it('has a unit test case for every metric', () => {
    const tested = new Set(metricCases.flatMap((c) => c.query.metrics))
    expect(catalog.metrics.map((m) => m.id).filter((id) => !tested.has(id))).toEqual([])
  })
})

describe.each(metricCases.map((c) => [c.name, c]))('%s', (_name, metricCase) => {
  it('gives the hand-computed numbers', async () => {
    const result = await runMetricCase(catalog, metricCase)
    expect(result.problems, `rows: ${JSON.stringify(result.rows)}`).toEqual([])
  })
})
