import { sql } from 'kysely'
import { defineModel } from '../../framework/index.js'
import { matchesCurrentRow } from '../checks/custom-tests.js'
import { intCrmAccountCustomers } from '../intermediate/int-crm-account-customers.js'
import { intOpportunities } from '../intermediate/int-opportunities.js'
import { intOpportunityStages } from '../intermediate/int-opportunity-stages.js'
import { intOpportunityStates } from '../intermediate/int-opportunity-states.js'
import { isMarketingSourced, MARKETING_SOURCED_RULE } from '../rules/marketing-sourced.js'
import { OPPORTUNITY_TYPES } from '../rules/opportunity-types.js'
import { FctOpportunity } from './contracts.js'
import { dimOwner } from './dim-owner.js'
import { fctOpportunityHistory } from './fct-opportunity-history.js'

/**
 * Opportunities as they are now, from the CRM record (deleted ones excluded). `is_qualified`
 * follows the declared stage rule (rules/sales-stages.ts) over the whole history, so a deal that
 * was qualified and then lost still counts as qualified. `days_to_close` is whole days from
 * creation to the close date, for closed opportunities only.
 */
export const fctOpportunity = defineModel({
  name: 'fct_opportunity',
  layer: 'marts',
  materialized: 'table',
  description: `CRM opportunities as they are now (deleted excluded), amounts in the reporting currency; is_marketing_sourced by the rule ${MARKETING_SOURCED_RULE}.`,
  inputs: {
    opps: intOpportunities,
    stages: intOpportunityStages,
    states: intOpportunityStates,
    account_customers: intCrmAccountCustomers,
  },
  columns: FctOpportunity,
  query: ({ db, dialect }) =>
    db
      .selectFrom('opps')
      .leftJoin('stages', 'stages.stage_key', 'opps.stage_key')
      .leftJoin('states', (j) =>
        j.onRef('states.opportunity_id', '=', 'opps.opportunity_id').on('states.is_current', '=', true),
      )
      .leftJoin('account_customers as ac', 'ac.account_id', 'opps.account_id')
      .select((eb) => {
        const createdDate = dialect.toDate(eb.ref('opps.created_at'))
        return [
          'opps.opportunity_id',
          eb.ref('opps.source_system').$castTo<string>().as('source_system'),
          'opps.account_id',
          'ac.customer_id',
          'opps.owner_id',
          'opps.opportunity_name as name',
          createdDate.as('created_date'),
          'opps.close_date',
          eb.fn.coalesce('stages.stage', 'opps.stage_id').as('stage'),
          'opps.opportunity_type',
          'opps.amount',
          eb.ref('opps.currency').$castTo<string | null>().as('currency'),
          'opps.is_closed',
          'opps.is_won',
          sql<boolean>`coalesce(${eb.ref('states.is_qualified')}, ${eb.ref('stages.is_qualified')}, FALSE)`.as(
            'is_qualified',
          ),
          'opps.forecast_category',
          'opps.lead_source',
          'opps.campaign_id',
          isMarketingSourced(eb.ref('opps.lead_source'), eb.ref('opps.campaign_id')).as(
            'is_marketing_sourced',
          ),
          sql<
            number | null
          >`CASE WHEN ${eb.ref('opps.is_closed')} THEN ${dialect.dateDiff('day', createdDate, sql<string>`${eb.ref('opps.close_date')}`)} END`.as(
            'days_to_close',
          ),
        ]
      }),
  tests: (t) => [
    t.unique('opportunity_id'),
    t.acceptedValues('source_system', ['salesforce', 'hubspot']),
    t.acceptedValues('opportunity_type', OPPORTUNITY_TYPES),
    t.relationships('stage', intOpportunityStages, 'stage', { severity: 'warn' }),
    t.relationships('owner_id', dimOwner, 'owner_id'),
    t.expression('won_is_closed', (eb) => eb.or([eb('is_won', '=', false), eb('is_closed', '=', true)])),
    t.expression('closed_has_close_date', (eb) =>
      eb.or([eb('is_closed', '=', false), eb('close_date', 'is not', null)]),
    ),
    matchesCurrentRow(t, 'matches_current_history_row', 'opportunity_id', fctOpportunityHistory, 'valid_to', [
      'stage',
      'amount',
      'close_date',
      'is_won',
      'is_closed',
    ]),
  ],
})
