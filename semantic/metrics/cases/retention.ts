import type { MartRow } from '../../../transforms/models/marts/contracts.js'
import { defineMetricCase } from '../../testing/metric-case.js'
import { mrrRow } from './billing.js'

const range = (n: number) => Array.from({ length: n }, (_, i) => i)
const month = (i: number) => `2024-${String(i + 1).padStart(2, '0')}-01`

/**
 * 20 customers at $100 in January; from February to July, each month one of them cancels and one
 * new customer joins, so 20 stay active and monthly logo churn is 1/20 = 5%.
 */
function steadyChurn(): Partial<MartRow<'fct_customer_mrr_month'>>[] {
  const rows: Partial<MartRow<'fct_customer_mrr_month'>>[] = []
  for (let m = 0; m < 7; m++) {
    for (const c of range(20)) {
      const churnsAt = c + 1 // customer c leaves in month c + 1 (February for c = 0)
      if (churnsAt < m) continue
      if (churnsAt === m) rows.push(mrrRow(`c${c}`, month(m), 100, 0, 'churn'))
      else rows.push(mrrRow(`c${c}`, month(m), m === 0 ? 0 : 100, 100, m === 0 ? 'new' : 'unchanged'))
    }
    for (let n = 1; n <= m; n++)
      rows.push(mrrRow(`n${n}`, month(m), n === m ? 0 : 100, 100, n === m ? 'new' : 'unchanged'))
  }
  return rows
}

export const retentionCases = [
  defineMetricCase({
    name: 'Logo churn: 100 at the start, 11 cancel of which 1 joined this month → 10%',
    source: 'help.chartmogul.com/hc/en-us/articles/203359321 (B2B customer churn rate)',
    // The customer who joined and left within March never has month-end MRR, so it is neither
    // active at the start nor churned: 10 of the 100 customers at the start left.
    tables: {
      fct_customer_mrr_month: [
        ...range(100).map((i) => mrrRow(`c${i}`, '2024-02-01', 50, 50, 'unchanged')),
        ...range(100).map((i) =>
          i < 10
            ? mrrRow(`c${i}`, '2024-03-01', 50, 0, 'churn')
            : mrrRow(`c${i}`, '2024-03-01', 50, 50, 'unchanged'),
        ),
      ],
    },
    query: { metrics: ['churned_customers', 'logo_churn_rate'], from: '2024-03-01', to: '2024-03-31' },
    spine: { from: '2024-02-01', to: '2024-03-31' },
    expect: [{ period: '2024-03-01', churned_customers: 10, logo_churn_rate: 0.1 }],
  }),
  defineMetricCase({
    name: 'MRR churn: start $100, churn $10, contraction $10, expansion $10 → gross 20%, net 10%',
    source: 'help.chartmogul.com/hc/en-us/articles/203359341 (MRR churn rate)',
    tables: {
      fct_customer_mrr_month: [
        mrrRow('a', '2024-01-01', 50, 50, 'unchanged'),
        mrrRow('b', '2024-01-01', 40, 40, 'unchanged'),
        mrrRow('c', '2024-01-01', 10, 10, 'unchanged'),
        mrrRow('a', '2024-02-01', 50, 60, 'expansion'),
        mrrRow('b', '2024-02-01', 40, 30, 'contraction'),
        mrrRow('c', '2024-02-01', 10, 0, 'churn'),
      ],
    },
    query: {
      metrics: ['gross_mrr_churn_rate', 'net_mrr_churn_rate', 'quick_ratio'],
      from: '2024-02-01',
      to: '2024-02-29',
    },
    spine: { from: '2024-01-01', to: '2024-02-29' },
    // quick ratio = (0 + 10 + 0) ÷ (10 + 10)
    expect: [{ period: '2024-02-01', gross_mrr_churn_rate: 0.2, net_mrr_churn_rate: 0.1, quick_ratio: 0.5 }],
  }),
  defineMetricCase({
    name: 'NRR and GRR over the trailing twelve months exclude new logos',
    // Base (Jan 2024): a 100, b 100, c 100. Jan 2025: a 150, b 50, c churned, d (new) 500.
    tables: {
      fct_customer_mrr_month: [
        mrrRow('a', '2024-01-01', 100, 100, 'unchanged'),
        mrrRow('b', '2024-01-01', 100, 100, 'unchanged'),
        mrrRow('c', '2024-01-01', 100, 100, 'unchanged'),
        mrrRow('a', '2025-01-01', 100, 150, 'expansion'),
        mrrRow('b', '2025-01-01', 100, 50, 'contraction'),
        mrrRow('c', '2025-01-01', 0, 0, 'unchanged'),
        mrrRow('d', '2025-01-01', 0, 500, 'new'),
      ],
    },
    spine: { from: '2024-01-01', to: '2025-01-31' },
    query: { metrics: ['nrr', 'grr'], from: '2025-01-01', to: '2025-01-31' },
    // NRR = (150 + 50 + 0) ÷ 300; GRR = (min(150,100) + min(50,100) + min(0,100)) ÷ 300
    expect: [{ period: '2025-01-01', nrr: 200 / 300, grr: 150 / 300 }],
  }),
  defineMetricCase({
    name: 'Cohort revenue retention: the January cohort over three months',
    tables: {
      fct_customer_mrr_month: [
        mrrRow('a', '2024-01-01', 0, 100, 'new'),
        mrrRow('b', '2024-01-01', 0, 50, 'new'),
        mrrRow('a', '2024-02-01', 100, 100, 'unchanged'),
        mrrRow('b', '2024-02-01', 50, 0, 'churn'),
        mrrRow('a', '2024-03-01', 100, 120, 'expansion'),
        mrrRow('b', '2024-03-01', 0, 0, 'unchanged'),
        mrrRow('c', '2024-03-01', 0, 80, 'new'),
      ],
    },
    query: { metrics: ['cohort_revenue_retention'], from: '2024-01-01', to: '2024-03-31' },
    expect: [
      { period: '2024-01-01', periods_since: 0, cohort_revenue_retention: 1 },
      { period: '2024-01-01', periods_since: 1, cohort_revenue_retention: 100 / 150 },
      { period: '2024-01-01', periods_since: 2, cohort_revenue_retention: 120 / 150 },
      { period: '2024-03-01', periods_since: 0, cohort_revenue_retention: 1 },
    ],
  }),
  defineMetricCase({
    name: 'LTV: ARPA $100 ÷ 5% monthly churn → $2,000 (gross margin 100%)',
    source: 'help.chartmogul.com/hc/en-us/articles/203359061 (LTV = ARPA ÷ churn); six-month trailing churn',
    tables: {
      fct_customer_mrr_month: steadyChurn(),
      fct_finance_month: range(7).map((m) => ({ month: month(m), gross_margin: 1, sm_expense: 0 })),
    },
    query: { metrics: ['ltv', 'arpa', 'logo_churn_rate'], from: '2024-06-01', to: '2024-07-31' },
    spine: { from: '2024-01-01', to: '2024-07-31' },
    // June has only five months of churn (Feb–Jun) behind it, so its six-month average is unknown.
    expect: [
      { period: '2024-06-01', ltv: null, arpa: 100, logo_churn_rate: 0.05 },
      { period: '2024-07-01', ltv: 2000, arpa: 100, logo_churn_rate: 0.05 },
    ],
  }),
  defineMetricCase({
    name: 'Renewal rate: 3 of 4 terms that ended continued',
    tables: {
      fct_subscription_term: [
        { subscription_id: 's1', customer_id: 'a', term_end: '2024-01-10', continued: true },
        { subscription_id: 's2', customer_id: 'b', term_end: '2024-01-12', continued: true },
        { subscription_id: 's3', customer_id: 'c', term_end: '2024-01-20', continued: false },
        { subscription_id: 's4', customer_id: 'd', term_end: '2024-01-31', continued: true },
      ],
    },
    query: { metrics: ['renewal_rate'], from: '2024-01-01', to: '2024-02-29' },
    expect: [
      { period: '2024-01-01', renewal_rate: 0.75 },
      { period: '2024-02-01', renewal_rate: null },
    ],
  }),
  defineMetricCase({
    name: 'Upsell rate: 2 of the 10 customers active at the start expanded',
    tables: {
      fct_customer_mrr_month: [
        ...range(10).map((i) => mrrRow(`c${i}`, '2024-01-01', 100, 100, 'unchanged')),
        ...range(10).map((i) =>
          i < 2
            ? mrrRow(`c${i}`, '2024-02-01', 100, 150, 'expansion')
            : mrrRow(`c${i}`, '2024-02-01', 100, 100, 'unchanged'),
        ),
      ],
    },
    spine: { from: '2024-01-01', to: '2024-02-29' },
    query: { metrics: ['expanded_customers', 'upsell_rate'], from: '2024-02-01', to: '2024-02-29' },
    expect: [{ period: '2024-02-01', expanded_customers: 2, upsell_rate: 0.2 }],
  }),
  defineMetricCase({
    name: 'Trial conversion: 2 of 5 trials that ended became paid',
    tables: {
      fct_trial: [true, false, true, false, false].map((converted, i) => ({
        subscription_id: `t${i}`,
        customer_id: `c${i}`,
        trial_end: '2024-04-15',
        converted,
      })),
    },
    query: { metrics: ['trial_conversion_rate'], from: '2024-04-01', to: '2024-04-30' },
    expect: [{ period: '2024-04-01', trial_conversion_rate: 0.4 }],
  }),
]
