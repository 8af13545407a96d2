import {
  FctOpportunity,
  FctOpportunityHistory,
  FctOpportunityStageEvent,
  FctQuotaMonth,
} from '../../transforms/models/marts/contracts.js'
import { defineMartModel } from '../spec/define-mart-model.js'

const won = { dimension: 'is_won', op: '=', value: true } as const
const closed = { dimension: 'is_closed', op: '=', value: true } as const

export const opportunities = defineMartModel(FctOpportunity, {
  name: 'opportunities',
  table: 'fct_opportunity',
  description: 'CRM opportunities as they are now (deleted records excluded).',
  entities: [
    { name: 'opportunity', type: 'primary', column: 'opportunity_id' },
    { name: 'customer', type: 'foreign', column: 'customer_id' },
    { name: 'owner', type: 'foreign', column: 'owner_id' },
  ],
  dimensions: [
    {
      name: 'opportunity_type',
      column: 'opportunity_type',
      description: 'new_business, expansion, renewal or other.',
    },
    { name: 'lead_source', column: 'lead_source', description: 'The CRM lead source.' },
    { name: 'stage', column: 'stage', description: 'The current stage.' },
    { name: 'is_won', column: 'is_won', type: 'boolean', description: 'Closed won.' },
    { name: 'is_closed', column: 'is_closed', type: 'boolean', description: 'Closed, won or lost.' },
    {
      name: 'is_marketing_sourced',
      column: 'is_marketing_sourced',
      type: 'boolean',
      description: 'Sourced by marketing: a marketing lead source or an originating campaign.',
    },
    { name: 'source_system', column: 'source_system', description: 'salesforce or hubspot.' },
  ],
  timeDimensions: [
    { name: 'close_date', column: 'close_date', grain: 'day', description: 'The close date.' },
    {
      name: 'created_date',
      column: 'created_date',
      grain: 'day',
      description: 'When the opportunity was created.',
    },
  ],
  defaultTime: 'close_date',
  measures: [
    { name: 'bookings', agg: 'sum', column: 'amount', where: [won], description: 'Closed-won amount.' },
    { name: 'won_deals', agg: 'count', where: [won], description: 'Closed-won opportunities.' },
    {
      name: 'closed_deals',
      agg: 'count',
      where: [closed],
      description: 'Closed opportunities, won or lost.',
    },
    {
      name: 'closed_amount',
      agg: 'sum',
      column: 'amount',
      where: [closed],
      description: 'Closed amount, won or lost.',
    },
    {
      name: 'sales_cycle_days',
      agg: 'average',
      column: 'days_to_close',
      where: [won],
      description: 'Mean days from creation to close of won deals.',
    },
    {
      name: 'sales_cycle_days_median',
      agg: 'median',
      column: 'days_to_close',
      where: [won],
      description: 'Median days from creation to close of won deals.',
    },
    {
      name: 'marketing_sourced_pipeline',
      agg: 'sum',
      column: 'amount',
      time: 'created_date',
      where: [{ dimension: 'is_marketing_sourced', op: '=', value: true }],
      description: 'Amount of marketing-sourced opportunities, by creation date.',
    },
    {
      name: 'marketing_sourced_bookings',
      agg: 'sum',
      column: 'amount',
      where: [won, { dimension: 'is_marketing_sourced', op: '=', value: true }],
      description: 'Closed-won amount of marketing-sourced opportunities.',
    },
  ],
})

const history = { validFrom: 'valid_from', validTo: 'valid_to' } as const
const open = { dimension: 'is_closed_at_snapshot', op: '=', value: false } as const

export const opportunityHistory = defineMartModel(FctOpportunityHistory, {
  name: 'opportunity_history',
  table: 'fct_opportunity_history',
  description: 'Each opportunity’s state over time, rebuilt from history tables (never from current values).',
  entities: [
    { name: 'opportunity', type: 'foreign', column: 'opportunity_id' },
    { name: 'owner', type: 'foreign', column: 'owner_id' },
  ],
  dimensions: [
    { name: 'stage_at_snapshot', column: 'stage', description: 'The stage at the snapshot.' },
    {
      name: 'forecast_category_at_snapshot',
      column: 'forecast_category',
      description: 'The forecast category at the snapshot.',
    },
    {
      name: 'is_closed_at_snapshot',
      column: 'is_closed',
      type: 'boolean',
      description: 'Closed at the snapshot.',
    },
    {
      name: 'is_qualified_at_snapshot',
      column: 'is_qualified',
      type: 'boolean',
      description: 'Qualified at the snapshot.',
    },
  ],
  timeDimensions: [
    { name: 'valid_from', column: 'valid_from', grain: 'day', description: 'When the state began.' },
  ],
  defaultTime: 'valid_from',
  measures: [
    {
      name: 'pipeline_at_period_start',
      agg: 'sum',
      column: 'amount',
      semantics: { kind: 'as_of', at: 'start', ...history },
      periodColumn: 'close_date',
      where: [open],
      description: 'Open pipeline as of the period’s first day, with a close date inside the period.',
    },
    {
      name: 'commit_forecast',
      agg: 'sum',
      column: 'amount',
      semantics: { kind: 'as_of', at: 'start', ...history },
      periodColumn: 'close_date',
      where: [{ dimension: 'forecast_category_at_snapshot', op: 'in', value: ['Commit', 'Closed'] }],
      description: 'Commit plus Closed amount as of the period’s first day, closing inside the period.',
    },
    {
      name: 'open_qualified_opportunities',
      agg: 'count_distinct',
      column: 'opportunity_id',
      semantics: { kind: 'as_of', at: 'end', ...history },
      where: [open, { dimension: 'is_qualified_at_snapshot', op: '=', value: true }],
      description: 'Open, qualified opportunities at the period’s end.',
    },
  ],
})

export const stageEvents = defineMartModel(FctOpportunityStageEvent, {
  name: 'stage_events',
  table: 'fct_opportunity_stage_event',
  description: 'Each opportunity’s entries into each stage, from history.',
  entities: [
    { name: 'opportunity', type: 'foreign', column: 'opportunity_id' },
    { name: 'owner', type: 'foreign', column: 'owner_id' },
  ],
  dimensions: [
    { name: 'stage_entered', column: 'stage', description: 'The stage entered.' },
    { name: 'next_stage', column: 'next_stage', description: 'The stage after it, if any.' },
    {
      name: 'reached_next_stage',
      column: 'reached_next_stage',
      type: 'boolean',
      description: 'Moved on to a later stage of the sales path.',
    },
  ],
  timeDimensions: [
    { name: 'entered_at', column: 'entered_at', grain: 'day', description: 'When the stage was entered.' },
  ],
  defaultTime: 'entered_at',
  measures: [
    { name: 'stage_entries', agg: 'count', description: 'Opportunities entering the stage.' },
    {
      name: 'stage_advances',
      agg: 'count',
      where: [{ dimension: 'reached_next_stage', op: '=', value: true }],
      description: 'Entries that reached a later stage.',
    },
    {
      name: 'time_in_stage_days',
      agg: 'median',
      column: 'days_in_stage',
      where: [{ dimension: 'next_stage', op: 'is not null' }],
      description: 'Median days spent in the stage, over entries that left it.',
    },
  ],
})

export const quotas = defineMartModel(FctQuotaMonth, {
  name: 'quotas',
  table: 'fct_quota_month',
  description: 'Quotas per owner, spread evenly over the months of each quota period.',
  entities: [{ name: 'owner', type: 'foreign', column: 'owner_id' }],
  timeDimensions: [{ name: 'quota_month', column: 'month', grain: 'month', description: 'The quota month.' }],
  defaultTime: 'quota_month',
  measures: [{ name: 'quota', agg: 'sum', column: 'quota', description: 'Quota for the period.' }],
})
