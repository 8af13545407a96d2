import type { MartRow } from '../../../transforms/models/marts/contracts.js'
import { defineMetricCase } from '../../testing/metric-case.js'

type MrrRow = Partial<MartRow<'fct_customer_mrr_month'>>

/** A customer-month row with its movement split into the movement columns. */
export function mrrRow(
  customer_id: string,
  month: string,
  previous_mrr: number,
  mrr: number,
  movement: string,
): MrrRow {
  const delta = mrr - previous_mrr
  return {
    customer_id,
    month,
    mrr,
    previous_mrr,
    movement,
    new_mrr: movement === 'new' ? mrr : 0,
    expansion_mrr: movement === 'expansion' ? delta : 0,
    contraction_mrr: movement === 'contraction' ? -delta : 0,
    churned_mrr: movement === 'churn' ? previous_mrr : 0,
    reactivation_mrr: movement === 'reactivation' ? mrr : 0,
    fx_mrr: 0,
    is_active: mrr > 0,
    was_active: previous_mrr > 0,
  }
}

const gold = 2000 / 12 // four Gold seats on a $2,000 yearly plan

export const billingCases = [
  defineMetricCase({
    name: 'ChartMogul walk-through: new, expansion, contraction, churn, reactivation',
    source: 'help.chartmogul.com/hc/en-us/articles/201244842 (Syncalytics); $2,000/year → $166.67 MRR',
    tables: {
      fct_customer_mrr_month: [
        mrrRow('syncalytics', '2024-01-01', 0, gold, 'new'),
        mrrRow('syncalytics', '2024-02-01', gold, gold + 60, 'expansion'),
        mrrRow('syncalytics', '2024-03-01', gold + 60, gold, 'contraction'),
        mrrRow('syncalytics', '2024-04-01', gold, 0, 'churn'),
        mrrRow('syncalytics', '2024-05-01', 0, 0, 'unchanged'),
        mrrRow('syncalytics', '2024-06-01', 0, 150, 'reactivation'),
      ],
    },
    query: {
      metrics: [
        'mrr',
        'arr',
        'new_mrr',
        'expansion_mrr',
        'contraction_mrr',
        'churned_mrr',
        'reactivation_mrr',
        'net_new_mrr',
        'active_customers',
        'new_customers',
      ],
      from: '2024-01-01',
      to: '2024-06-30',
    },
    expect: [
      {
        period: '2024-01-01',
        mrr: 166.66666666666666,
        arr: 2000,
        new_mrr: gold,
        net_new_mrr: gold,
        active_customers: 1,
        new_customers: 1,
      },
      {
        period: '2024-02-01',
        mrr: gold + 60,
        arr: 2720,
        expansion_mrr: 60,
        net_new_mrr: 60,
        new_customers: 0,
      },
      { period: '2024-03-01', mrr: gold, contraction_mrr: 60, net_new_mrr: -60 },
      { period: '2024-04-01', mrr: 0, churned_mrr: gold, net_new_mrr: -gold, active_customers: 0 },
      { period: '2024-05-01', mrr: 0, net_new_mrr: 0 },
      {
        period: '2024-06-01',
        mrr: 150,
        arr: 1800,
        reactivation_mrr: 150,
        net_new_mrr: 150,
        active_customers: 1,
        new_customers: 0,
      },
    ],
  }),
  defineMetricCase({
    name: 'ARPA: $1 + $1 + $3 + $5 + $5 over five customers is $3',
    source: 'help.chartmogul.com/hc/en-us/articles/203359301 (ARPA)',
    tables: {
      fct_customer_mrr_month: [1, 1, 3, 5, 5].map((mrr, i) =>
        mrrRow(`c${i}`, '2024-03-01', mrr, mrr, 'unchanged'),
      ),
    },
    query: { metrics: ['mrr', 'active_customers', 'arpa'], from: '2024-03-01', to: '2024-03-31' },
    expect: [{ period: '2024-03-01', mrr: 15, active_customers: 5, arpa: 3 }],
  }),
  defineMetricCase({
    name: 'ASP: 3 new at $100 and 7 new at $50 is $65',
    source: 'help.chartmogul.com/hc/en-us/articles/203359381 (Average Sale Price)',
    tables: {
      fct_customer_mrr_month: [100, 100, 100, 50, 50, 50, 50, 50, 50, 50].map((mrr, i) =>
        mrrRow(`n${i}`, '2024-05-01', 0, mrr, 'new'),
      ),
    },
    query: { metrics: ['new_mrr', 'new_customers', 'asp'], from: '2024-05-01', to: '2024-05-31' },
    expect: [{ period: '2024-05-01', new_mrr: 650, new_customers: 10, asp: 65 }],
  }),
  defineMetricCase({
    name: 'Revenue growth: +10% month over month; unknown after a month without MRR',
    tables: {
      fct_customer_mrr_month: [
        mrrRow('a', '2024-01-01', 0, 100, 'new'),
        mrrRow('a', '2024-02-01', 100, 110, 'expansion'),
        mrrRow('a', '2024-03-01', 110, 0, 'churn'),
        mrrRow('a', '2024-04-01', 0, 50, 'reactivation'),
      ],
    },
    spine: { from: '2024-01-01', to: '2024-04-30' },
    query: { metrics: ['revenue_growth_rate'], from: '2024-02-01', to: '2024-04-30' },
    expect: [
      { period: '2024-02-01', revenue_growth_rate: 0.1 },
      { period: '2024-03-01', revenue_growth_rate: -1 },
      { period: '2024-04-01', revenue_growth_rate: null },
    ],
  }),
  defineMetricCase({
    name: 'Billed revenue counts finalized invoices only, without tax',
    tables: {
      fct_invoice: [
        {
          invoice_id: 'i1',
          customer_id: 'a',
          invoice_date: '2024-01-05',
          status: 'paid',
          total_excluding_tax: 100,
          tax: 20,
        },
        {
          invoice_id: 'i2',
          customer_id: 'a',
          invoice_date: '2024-01-09',
          status: 'open',
          total_excluding_tax: 50,
          tax: 10,
        },
        {
          invoice_id: 'i3',
          customer_id: 'b',
          invoice_date: '2024-01-20',
          status: 'uncollectible',
          total_excluding_tax: 20,
          tax: 0,
        },
        {
          invoice_id: 'i4',
          customer_id: 'b',
          invoice_date: '2024-01-21',
          status: 'void',
          total_excluding_tax: 999,
          tax: 0,
        },
        {
          invoice_id: 'i5',
          customer_id: 'c',
          invoice_date: '2024-01-22',
          status: 'draft',
          total_excluding_tax: 999,
          tax: 0,
        },
      ],
    },
    query: { metrics: ['billed_revenue'], from: '2024-01-01', to: '2024-02-29' },
    expect: [
      { period: '2024-01-01', billed_revenue: 170 },
      { period: '2024-02-01', billed_revenue: 0 },
    ],
  }),
  defineMetricCase({
    name: 'Cash collected is succeeded charges minus refunds; failed charges move no money',
    tables: {
      fct_payment: [
        {
          payment_id: 'ch1',
          kind: 'charge',
          payment_date: '2024-01-03',
          status: 'succeeded',
          amount: 100,
          net_amount: 100,
        },
        {
          payment_id: 'ch2',
          kind: 'charge',
          payment_date: '2024-01-04',
          status: 'failed',
          amount: 50,
          net_amount: 0,
        },
        {
          payment_id: 're1',
          kind: 'refund',
          payment_date: '2024-01-10',
          status: 'succeeded',
          amount: 30,
          net_amount: -30,
        },
        {
          payment_id: 're2',
          kind: 'refund',
          payment_date: '2024-01-11',
          status: 'failed',
          amount: 5,
          net_amount: -5,
        },
      ],
    },
    query: { metrics: ['cash_collected', 'refunds'], from: '2024-01-01', to: '2024-01-31' },
    expect: [{ period: '2024-01-01', cash_collected: 70, refunds: 30 }],
  }),
]
