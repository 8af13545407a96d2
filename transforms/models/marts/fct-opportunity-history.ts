import { defineModel } from '../../framework/index.js'
import { contiguousIntervals } from '../checks/custom-tests.js'
import { intCrmAccountCustomers } from '../intermediate/int-crm-account-customers.js'
import { intOpportunities } from '../intermediate/int-opportunities.js'
import { intOpportunityStages } from '../intermediate/int-opportunity-stages.js'
import { intOpportunityStates } from '../intermediate/int-opportunity-states.js'
import { FctOpportunityHistory } from './contracts.js'

/**
 * Each opportunity's state over `[valid_from, valid_to)`, rebuilt from Salesforce's
 * OpportunityHistory and OpportunityFieldHistory and from HubSpot's stage dates where HubSpot is
 * the record (int_opportunity_states); the current state has `valid_to` NULL. Amounts are in the
 * reporting currency at each state's close date. The customer is the opportunity's current one.
 */
export const fctOpportunityHistory = defineModel({
  name: 'fct_opportunity_history',
  layer: 'marts',
  materialized: 'table',
  description:
    'Opportunity state intervals (SCD2) rebuilt from CRM history tables, never from current values.',
  inputs: { states: intOpportunityStates, opps: intOpportunities, account_customers: intCrmAccountCustomers },
  columns: FctOpportunityHistory,
  query: ({ db }) =>
    db
      .selectFrom('states')
      .innerJoin('opps', 'opps.opportunity_id', 'states.opportunity_id')
      .leftJoin('account_customers as ac', 'ac.account_id', 'opps.account_id')
      .select([
        'states.opportunity_id',
        'states.owner_id',
        'ac.customer_id',
        'states.valid_from',
        'states.valid_to',
        'states.stage',
        'states.amount',
        'states.close_date',
        'states.forecast_category',
        'states.is_closed',
        'states.is_won',
        'states.is_qualified',
      ]),
  tests: (t) => [
    t.unique(['opportunity_id', 'valid_from']),
    contiguousIntervals(t, 'intervals_tile_without_overlap', 'opportunity_id', 'valid_from', 'valid_to'),
    t.relationships('opportunity_id', intOpportunities, 'opportunity_id'),
    t.relationships('stage', intOpportunityStages, 'stage', { severity: 'warn' }),
  ],
})
