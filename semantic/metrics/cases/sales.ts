import type { MartRow } from '../../../transforms/models/marts/contracts.js'
import { defineMetricCase } from '../../testing/metric-case.js'

type Opportunity = Partial<MartRow<'fct_opportunity'>>

const closedDeal = (
  id: string,
  created: string,
  close: string,
  amount: number,
  won: boolean,
  extra: Opportunity = {},
): Opportunity => ({
  opportunity_id: id,
  created_date: created,
  close_date: close,
  amount,
  stage: won ? 'Closed Won' : 'Closed Lost',
  is_closed: true,
  is_won: won,
  is_qualified: true,
  days_to_close: Math.round((Date.parse(close) - Date.parse(created)) / 86_400_000),
  ...extra,
})

export const salesCases = [
  defineMetricCase({
    name: 'Win rate, by count and by value, deal size and sales cycle of deals closed in the period',
    // January: won $100 (10 days) and $300 (30 days); lost $200 and $400; one open deal is ignored.
    tables: {
      fct_opportunity: [
        closedDeal('o1', '2024-01-01', '2024-01-11', 100, true),
        closedDeal('o2', '2023-12-15', '2024-01-14', 300, true),
        closedDeal('o3', '2023-12-01', '2024-01-20', 200, false),
        closedDeal('o4', '2023-11-01', '2024-01-25', 400, false),
        {
          opportunity_id: 'o5',
          created_date: '2024-01-02',
          close_date: '2024-01-30',
          amount: 900,
          stage: 'Proposal',
          is_closed: false,
          is_won: false,
        },
      ],
    },
    query: {
      metrics: [
        'bookings',
        'won_deals',
        'win_rate',
        'win_rate_value',
        'avg_deal_size',
        'sales_cycle_days',
        'sales_cycle_days_median',
      ],
      from: '2024-01-01',
      to: '2024-02-29',
    },
    expect: [
      {
        period: '2024-01-01',
        bookings: 400,
        won_deals: 2,
        win_rate: 0.5,
        win_rate_value: 0.4,
        avg_deal_size: 200,
        sales_cycle_days: 20,
        sales_cycle_days_median: 20,
      },
      {
        period: '2024-02-01',
        bookings: 0,
        won_deals: 0,
        win_rate: null,
        win_rate_value: null,
        avg_deal_size: null,
        sales_cycle_days: null,
      },
    ],
  }),
  defineMetricCase({
    name: 'Pipeline coverage and forecast accuracy as of the quarter start, from history',
    // As of 2024-04-01: o1 $100 Commit closing May; o2 $200 Pipeline closing June (it becomes $250
    // Commit on April 10, too late for the forecast); o3 is created after the start; o4 closes in Q3.
    // Both o1 and o2 are won in Q2: bookings $350. Quota: $100 per month.
    tables: {
      fct_opportunity_history: [
        {
          opportunity_id: 'o1',
          valid_from: '2024-03-01T00:00:00Z',
          valid_to: null,
          stage: 'Proposal',
          amount: 100,
          close_date: '2024-05-15',
          forecast_category: 'Commit',
          is_closed: false,
        },
        {
          opportunity_id: 'o2',
          valid_from: '2024-03-10T09:00:00Z',
          valid_to: '2024-04-10T09:00:00Z',
          stage: 'Discovery',
          amount: 200,
          close_date: '2024-06-01',
          forecast_category: 'Pipeline',
          is_closed: false,
        },
        {
          opportunity_id: 'o2',
          valid_from: '2024-04-10T09:00:00Z',
          valid_to: null,
          stage: 'Negotiation',
          amount: 250,
          close_date: '2024-06-01',
          forecast_category: 'Commit',
          is_closed: false,
        },
        {
          opportunity_id: 'o3',
          valid_from: '2024-04-05T00:00:00Z',
          valid_to: null,
          stage: 'Discovery',
          amount: 500,
          close_date: '2024-06-30',
          forecast_category: 'Pipeline',
          is_closed: false,
        },
        {
          opportunity_id: 'o4',
          valid_from: '2024-02-01T00:00:00Z',
          valid_to: null,
          stage: 'Discovery',
          amount: 700,
          close_date: '2024-08-01',
          forecast_category: 'Pipeline',
          is_closed: false,
        },
      ],
      fct_opportunity: [
        closedDeal('o1', '2024-03-01', '2024-05-15', 100, true),
        closedDeal('o2', '2024-03-10', '2024-06-01', 250, true),
      ],
      fct_quota_month: ['2024-04-01', '2024-05-01', '2024-06-01'].map((month) => ({
        owner_id: 'rep',
        month,
        quota: 100,
      })),
    },
    query: {
      metrics: [
        'pipeline_at_period_start',
        'quota',
        'pipeline_coverage',
        'commit_forecast',
        'bookings',
        'forecast_accuracy',
      ],
      grain: 'quarter',
      from: '2024-04-01',
      to: '2024-06-30',
    },
    // coverage = 300 ÷ 300; accuracy = 1 − |100 − 350| ÷ 350
    expect: [
      {
        period: '2024-04-01',
        pipeline_at_period_start: 300,
        quota: 300,
        pipeline_coverage: 1,
        commit_forecast: 100,
        bookings: 350,
        forecast_accuracy: 1 - 250 / 350,
      },
    ],
  }),
  defineMetricCase({
    name: 'Pipeline velocity: 4 open qualified × $200 × 50% ÷ 20 days = $20 a day',
    // Trailing 12 months to June 30: won $100 (10 days) and $300 (30 days), lost two. Four qualified
    // opportunities are open at June’s end; a fifth is not qualified and a sixth closed in June.
    tables: {
      fct_opportunity: [
        closedDeal('w1', '2023-09-01', '2023-09-11', 100, true),
        closedDeal('w2', '2024-02-01', '2024-03-02', 300, true),
        closedDeal('l1', '2023-08-01', '2023-10-01', 500, false),
        closedDeal('l2', '2024-01-01', '2024-04-01', 500, false),
        closedDeal('old', '2022-01-01', '2023-06-01', 9000, true),
      ],
      fct_opportunity_history: [
        ...['q1', 'q2', 'q3', 'q4'].map((id) => ({
          opportunity_id: id,
          valid_from: '2024-05-01T00:00:00Z',
          valid_to: null,
          stage: 'Proposal',
          is_closed: false,
          is_qualified: true,
        })),
        {
          opportunity_id: 'u1',
          valid_from: '2024-05-01T00:00:00Z',
          valid_to: null,
          stage: 'Prospecting',
          is_closed: false,
          is_qualified: false,
        },
        {
          opportunity_id: 'c1',
          valid_from: '2024-05-01T00:00:00Z',
          valid_to: '2024-06-20T00:00:00Z',
          stage: 'Proposal',
          is_closed: false,
          is_qualified: true,
        },
        {
          opportunity_id: 'c1',
          valid_from: '2024-06-20T00:00:00Z',
          valid_to: null,
          stage: 'Closed Won',
          is_closed: true,
          is_qualified: true,
        },
      ],
    },
    spine: { from: '2023-06-01', to: '2024-06-30' },
    query: {
      metrics: ['open_qualified_opportunities', 'pipeline_velocity'],
      from: '2024-06-01',
      to: '2024-06-30',
    },
    expect: [{ period: '2024-06-01', open_qualified_opportunities: 4, pipeline_velocity: 20 }],
  }),
  defineMetricCase({
    name: 'Stage conversion and median time in stage come from stage history',
    // Discovery: 4 entries in January, 3 moved on after 2, 4 and 6 days. Proposal: 2 entries, 1 moved on.
    tables: {
      fct_opportunity_stage_event: [
        {
          opportunity_id: 'a',
          stage: 'Discovery',
          entered_at: '2024-01-02T00:00:00Z',
          next_stage: 'Proposal',
          reached_next_stage: true,
          days_in_stage: 2,
        },
        {
          opportunity_id: 'b',
          stage: 'Discovery',
          entered_at: '2024-01-03T00:00:00Z',
          next_stage: 'Proposal',
          reached_next_stage: true,
          days_in_stage: 4,
        },
        {
          opportunity_id: 'c',
          stage: 'Discovery',
          entered_at: '2024-01-04T00:00:00Z',
          next_stage: 'Proposal',
          reached_next_stage: true,
          days_in_stage: 6,
        },
        {
          opportunity_id: 'd',
          stage: 'Discovery',
          entered_at: '2024-01-05T00:00:00Z',
          next_stage: null,
          reached_next_stage: false,
          days_in_stage: null,
        },
        {
          opportunity_id: 'a',
          stage: 'Proposal',
          entered_at: '2024-01-04T00:00:00Z',
          next_stage: 'Negotiation',
          reached_next_stage: true,
          days_in_stage: 9,
        },
        {
          opportunity_id: 'b',
          stage: 'Proposal',
          entered_at: '2024-01-07T00:00:00Z',
          next_stage: 'Closed Lost',
          reached_next_stage: false,
          days_in_stage: 3,
        },
      ],
    },
    query: {
      metrics: ['stage_conversion_rate', 'time_in_stage_days'],
      dimensions: ['stage_entered'],
      from: '2024-01-01',
      to: '2024-01-31',
    },
    // Proposal's median over its two exits (9 and 3 days); Athena's approximate median may pick one of them.
    expect: [
      {
        period: '2024-01-01',
        stage_entered: 'Discovery',
        stage_conversion_rate: 0.75,
        time_in_stage_days: 4,
      },
      { period: '2024-01-01', stage_entered: 'Proposal', stage_conversion_rate: 0.5, time_in_stage_days: 6 },
    ],
  }),
  defineMetricCase({
    name: 'Quota attainment per owner',
    tables: {
      fct_opportunity: [
        closedDeal('a1', '2024-01-01', '2024-02-10', 150, true, { owner_id: 'ann' }),
        closedDeal('b1', '2024-01-01', '2024-02-11', 100, true, { owner_id: 'bob' }),
        closedDeal('b2', '2024-01-01', '2024-02-12', 200, true, { owner_id: 'bob' }),
        closedDeal('b3', '2024-01-01', '2024-02-13', 999, false, { owner_id: 'bob' }),
      ],
      fct_quota_month: [
        { owner_id: 'ann', month: '2024-02-01', quota: 300 },
        { owner_id: 'bob', month: '2024-02-01', quota: 200 },
      ],
      dim_owner: [
        { owner_id: 'ann', owner_name: 'Ann', is_active: true },
        { owner_id: 'bob', owner_name: 'Bob', is_active: true },
      ],
    },
    query: {
      metrics: ['bookings', 'quota', 'quota_attainment'],
      dimensions: ['owner'],
      from: '2024-02-01',
      to: '2024-02-29',
    },
    expect: [
      { period: '2024-02-01', owner: 'ann', bookings: 150, quota: 300, quota_attainment: 0.5 },
      { period: '2024-02-01', owner: 'bob', bookings: 300, quota: 200, quota_attainment: 1.5 },
    ],
  }),
]
