import {
  FctAdSpendDaily,
  FctFinanceMonth,
  FctLifecycleEvent,
} from '../../transforms/models/marts/contracts.js'
import { defineMartModel } from '../spec/define-mart-model.js'

const stage = (name: string) => [{ dimension: 'lifecycle_stage', op: '=' as const, value: name }]

export const lifecycle = defineMartModel(FctLifecycleEvent, {
  name: 'lifecycle',
  table: 'fct_lifecycle_event',
  description: 'Each person’s first entry into each lifecycle stage.',
  entities: [{ name: 'person', type: 'natural', column: 'person_id' }],
  dimensions: [
    { name: 'lifecycle_stage', column: 'stage', description: 'lead, mql, sql, opportunity or customer.' },
    { name: 'channel', column: 'channel', description: 'The channel that sourced the person.' },
    { name: 'is_paid_channel', column: 'is_paid_channel', type: 'boolean', description: 'A paid channel.' },
  ],
  timeDimensions: [
    { name: 'entered_at', column: 'entered_at', grain: 'day', description: 'When the stage was entered.' },
  ],
  defaultTime: 'entered_at',
  measures: [
    {
      name: 'leads',
      agg: 'count_distinct',
      column: 'person_id',
      where: stage('lead'),
      description: 'New leads.',
    },
    {
      name: 'mqls',
      agg: 'count_distinct',
      column: 'person_id',
      where: stage('mql'),
      description: 'New MQLs.',
    },
    {
      name: 'sqls',
      agg: 'count_distinct',
      column: 'person_id',
      where: stage('sql'),
      description: 'New SQLs.',
    },
    {
      name: 'new_lifecycle_customers',
      agg: 'count_distinct',
      column: 'person_id',
      where: stage('customer'),
      description: 'People becoming customers.',
    },
  ],
})

export const adSpend = defineMartModel(FctAdSpendDaily, {
  name: 'ad_spend',
  table: 'fct_ad_spend_daily',
  description: 'Paid media spend per platform, campaign and day, in the reporting currency.',
  dimensions: [
    { name: 'platform', column: 'platform', description: 'google_ads, meta_ads, linkedin_ads or other.' },
    { name: 'campaign_name', column: 'campaign_name', description: 'The campaign.' },
  ],
  timeDimensions: [
    { name: 'spend_date', column: 'spend_date', grain: 'day', description: 'The day of spend.' },
  ],
  defaultTime: 'spend_date',
  measures: [
    { name: 'ad_spend', agg: 'sum', column: 'spend', description: 'Paid media spend.' },
    { name: 'impressions', agg: 'sum', column: 'impressions', description: 'Ad impressions.' },
    { name: 'clicks', agg: 'sum', column: 'clicks', description: 'Ad clicks.' },
  ],
})

export const finance = defineMartModel(FctFinanceMonth, {
  name: 'finance',
  table: 'fct_finance_month',
  description: 'Finance inputs no source system has: S&M expense and gross margin per month.',
  timeDimensions: [{ name: 'finance_month', column: 'month', grain: 'month', description: 'The month.' }],
  defaultTime: 'finance_month',
  measures: [
    { name: 'sm_expense', agg: 'sum', column: 'sm_expense', description: 'Sales and marketing expense.' },
    {
      name: 'gross_margin',
      agg: 'average',
      column: 'gross_margin',
      description: 'Gross margin as a fraction (monthly mean).',
    },
  ],
})
