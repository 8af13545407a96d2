import { defineMetricCase } from '../../testing/metric-case.js'
import { mrrRow } from './billing.js'

const at = (day: string) => `${day}T12:00:00Z`

export const marketingCases = [
  defineMetricCase({
    name: 'Funnel counts and cohort conversion within 90 days',
    // January leads p1–p4; MQLs p1–p3. SQL: p1 on Feb 10 (in time), p2 on Jun 1 (too late).
    // Customer: p1 on Mar 1, 57 days after becoming a lead.
    tables: {
      fct_lifecycle_event: [
        ...['p1', 'p2', 'p3', 'p4'].map((person_id) => ({
          person_id,
          stage: 'lead',
          entered_at: at('2024-01-03'),
          channel: 'paid',
        })),
        ...['p1', 'p2', 'p3'].map((person_id) => ({
          person_id,
          stage: 'mql',
          entered_at: at('2024-01-10'),
          channel: 'paid',
        })),
        { person_id: 'p1', stage: 'sql', entered_at: at('2024-02-10'), channel: 'paid' },
        { person_id: 'p2', stage: 'sql', entered_at: at('2024-06-01'), channel: 'paid' },
        { person_id: 'p1', stage: 'customer', entered_at: at('2024-03-01'), channel: 'paid' },
      ],
    },
    query: {
      metrics: ['leads', 'mqls', 'sqls', 'mql_to_sql_rate', 'lead_to_customer_rate'],
      from: '2024-01-01',
      to: '2024-02-29',
    },
    expect: [
      {
        period: '2024-01-01',
        leads: 4,
        mqls: 3,
        sqls: 0,
        mql_to_sql_rate: 1 / 3,
        lead_to_customer_rate: 0.25,
      },
      {
        period: '2024-02-01',
        leads: 0,
        mqls: 0,
        sqls: 1,
        mql_to_sql_rate: null,
        lead_to_customer_rate: null,
      },
    ],
  }),
  defineMetricCase({
    name: 'Acquisition cost and payback: CAC, paid CAC, cost per lead, ROAS, CAC payback',
    // January: S&M $10,000; 5 new customers at $100 (2 paid-sourced); ad spend $400; 4 leads; margin 80%.
    tables: {
      fct_customer_mrr_month: ['n1', 'n2', 'n3', 'n4', 'n5'].map((c) =>
        mrrRow(c, '2024-01-01', 0, 100, 'new'),
      ),
      dim_customer: ['n1', 'n2', 'n3', 'n4', 'n5'].map((customer_id, i) => ({
        customer_id,
        segment: 'smb',
        region: 'na',
        match_method: 'account_map',
        acquisition_channel: i < 2 ? 'paid' : 'organic',
        is_paid_acquired: i < 2,
      })),
      fct_finance_month: [{ month: '2024-01-01', sm_expense: 10_000, gross_margin: 0.8 }],
      fct_ad_spend_daily: [
        {
          spend_date: '2024-01-05',
          platform: 'google_ads',
          campaign_id: 'g1',
          currency: 'USD',
          spend_native: 250,
          spend: 250,
          impressions: 1000,
          clicks: 50,
        },
        {
          spend_date: '2024-01-06',
          platform: 'meta_ads',
          campaign_id: 'm1',
          currency: 'USD',
          spend_native: 150,
          spend: 150,
          impressions: 800,
          clicks: 20,
        },
      ],
      fct_lifecycle_event: ['p1', 'p2', 'p3', 'p4'].map((person_id) => ({
        person_id,
        stage: 'lead',
        entered_at: at('2024-01-08'),
        channel: 'paid',
      })),
    },
    query: {
      metrics: [
        'sm_expense',
        'gross_margin',
        'ad_spend',
        'cac',
        'paid_new_customers',
        'paid_new_mrr',
        'paid_cac',
        'cost_per_lead',
        'roas',
        'cac_payback_months',
      ],
      from: '2024-01-01',
      to: '2024-01-31',
    },
    // CAC 10,000 ÷ 5; paid CAC 400 ÷ 2; ROAS 200 × 12 ÷ 400; payback 2,000 ÷ (100 × 0.8)
    expect: [
      {
        period: '2024-01-01',
        sm_expense: 10_000,
        gross_margin: 0.8,
        ad_spend: 400,
        cac: 2000,
        paid_new_customers: 2,
        paid_new_mrr: 200,
        paid_cac: 200,
        cost_per_lead: 100,
        roas: 6,
        cac_payback_months: 25,
      },
    ],
  }),
  defineMetricCase({
    name: 'Marketing-sourced pipeline by creation date, bookings and ROI by close date',
    tables: {
      fct_opportunity: [
        {
          opportunity_id: 'm1',
          created_date: '2024-01-05',
          close_date: '2024-01-30',
          amount: 1000,
          stage: 'Closed Won',
          is_closed: true,
          is_won: true,
          is_marketing_sourced: true,
        },
        {
          opportunity_id: 'm2',
          created_date: '2024-01-09',
          close_date: '2024-03-30',
          amount: 500,
          stage: 'Proposal',
          is_closed: false,
          is_won: false,
          is_marketing_sourced: true,
        },
        {
          opportunity_id: 's1',
          created_date: '2024-01-09',
          close_date: '2024-01-20',
          amount: 700,
          stage: 'Closed Won',
          is_closed: true,
          is_won: true,
          is_marketing_sourced: false,
        },
      ],
      fct_ad_spend_daily: [
        {
          spend_date: '2024-01-02',
          platform: 'linkedin_ads',
          campaign_id: 'l1',
          currency: 'USD',
          spend_native: 400,
          spend: 400,
          impressions: 10,
          clicks: 1,
        },
      ],
    },
    query: {
      metrics: ['marketing_sourced_pipeline', 'marketing_sourced_bookings', 'marketing_roi'],
      from: '2024-01-01',
      to: '2024-01-31',
    },
    // ROI = (1,000 − 400) ÷ 400
    expect: [
      {
        period: '2024-01-01',
        marketing_sourced_pipeline: 1500,
        marketing_sourced_bookings: 1000,
        marketing_roi: 1.5,
      },
    ],
  }),
]
