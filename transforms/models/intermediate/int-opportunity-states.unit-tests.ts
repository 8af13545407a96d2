import type { z } from 'zod'
import type { RowOf } from '../../framework/index.js'
import type { intOpportunities } from './int-opportunities.js'
import type { OpportunityEvent } from './int-opportunity-events.js'
import type { intOpportunityStages } from './int-opportunity-stages.js'
import type { OpportunityState } from './int-opportunity-states.js'

type Event = z.output<typeof OpportunityEvent>
type Stage = RowOf<typeof intOpportunityStages>

/** An event that sets nothing but what it names. */
const event = (row: Partial<Event>): Partial<Event> => ({
  priority: 2,
  is_current: false,
  stage_set: row.stage_id !== undefined,
  amount_set: row.amount_native !== undefined,
  close_date_set: row.close_date !== undefined,
  forecast_set: row.forecast_category !== undefined,
  owner_set: row.owner_id !== undefined,
  ...row,
})

const stage = (name: string, order: number, flags: Partial<Stage> = {}): Partial<Stage> => ({
  stage_key: `salesforce::${name}`,
  source_system: 'salesforce',
  stage_id: name,
  stage: name,
  stage_order: order,
  is_closed: false,
  is_won: false,
  is_lost: false,
  is_qualified: order >= 3,
  ...flags,
})

const stages = [
  stage('Qualification', 2),
  stage('Proposal/Price Quote', 7),
  stage('Negotiation/Review', 8),
  stage('Closed Won', 9, { is_closed: true, is_won: true }),
]

const opportunity = (
  row: Partial<RowOf<typeof intOpportunities>>,
): Partial<RowOf<typeof intOpportunities>> => ({
  source_system: 'salesforce',
  currency: 'USD',
  is_closed: false,
  is_won: false,
  ...row,
})

const t = (day: string) => `2024-${day}T10:00:00.000Z`

/** Hand-written cases for the SCD2 rebuild (int_opportunity_states). */
export const opportunityStateUnitTests = [
  {
    name: 'rebuilds_states_from_history_and_field_changes',
    given: {
      stages,
      opps: [
        opportunity({
          opportunity_id: 'o1',
          stage_id: 'Proposal/Price Quote',
          amount_native: 120,
          close_date: '2024-03-31',
          owner_id: 'u2',
          created_at: t('01-05'),
          last_modified_at: t('02-20'),
        }),
      ],
      events: [
        // Before the first owner change the owner was its old value.
        event({ opportunity_id: 'o1', changed_at: t('01-05'), priority: 0, owner_id: 'u1' }),
        event({
          opportunity_id: 'o1',
          changed_at: t('01-05'),
          stage_id: 'Qualification',
          amount_native: 100,
          close_date: '2024-03-31',
          forecast_category: 'Pipeline',
        }),
        event({
          opportunity_id: 'o1',
          changed_at: t('01-20'),
          stage_id: 'Proposal/Price Quote',
          amount_native: 100,
          close_date: '2024-03-31',
          forecast_category: 'Best Case',
        }),
        // An amount change that only OpportunityFieldHistory saw.
        event({ opportunity_id: 'o1', changed_at: t('02-01'), priority: 1, amount_native: 120 }),
        event({
          opportunity_id: 'o1',
          changed_at: t('02-10'),
          stage_id: 'Negotiation/Review',
          amount_native: 120,
          close_date: '2024-03-31',
          forecast_category: 'Commit',
        }),
        event({ opportunity_id: 'o1', changed_at: t('02-15'), priority: 1, owner_id: 'u2' }),
        // Fell back from Negotiation; the current record then says the same and adds no state.
        event({
          opportunity_id: 'o1',
          changed_at: t('02-20'),
          stage_id: 'Proposal/Price Quote',
          amount_native: 120,
          close_date: '2024-03-31',
          forecast_category: 'Best Case',
        }),
        event({
          opportunity_id: 'o1',
          changed_at: t('02-20'),
          priority: 3,
          is_current: true,
          stage_id: 'Proposal/Price Quote',
          amount_native: 120,
          close_date: '2024-03-31',
          forecast_category: 'Best Case',
          owner_id: 'u2',
        }),
      ],
    },
    expect: [
      {
        state_number: 1,
        valid_from: t('01-05'),
        valid_to: t('01-20'),
        stage: 'Qualification',
        amount: 100,
        owner_id: 'u1',
        is_qualified: false,
        forecast_category: 'Pipeline',
      },
      {
        state_number: 2,
        valid_from: t('01-20'),
        valid_to: t('02-01'),
        stage: 'Proposal/Price Quote',
        amount: 100,
        owner_id: 'u1',
        is_qualified: true,
        forecast_category: 'Best Case',
      },
      {
        state_number: 3,
        valid_from: t('02-01'),
        valid_to: t('02-10'),
        stage: 'Proposal/Price Quote',
        amount: 120,
        owner_id: 'u1',
        is_qualified: true,
        forecast_category: 'Best Case',
      },
      {
        state_number: 4,
        valid_from: t('02-10'),
        valid_to: t('02-15'),
        stage: 'Negotiation/Review',
        amount: 120,
        owner_id: 'u1',
        is_qualified: true,
        forecast_category: 'Commit',
      },
      {
        state_number: 5,
        valid_from: t('02-15'),
        valid_to: t('02-20'),
        stage: 'Negotiation/Review',
        amount: 120,
        owner_id: 'u2',
        is_qualified: true,
        forecast_category: 'Commit',
      },
      {
        state_number: 6,
        valid_from: t('02-20'),
        valid_to: null,
        stage: 'Proposal/Price Quote',
        amount: 120,
        owner_id: 'u2',
        is_qualified: true,
        forecast_category: 'Best Case',
      },
    ],
  },
  {
    name: 'the_current_record_ends_a_lagging_history',
    given: {
      stages,
      opps: [
        opportunity({
          opportunity_id: 'o2',
          stage_id: 'Closed Won',
          amount_native: 50,
          close_date: '2024-04-02',
          forecast_category: 'Closed',
          owner_id: 'u1',
          created_at: t('03-01'),
          last_modified_at: t('04-02'),
          is_closed: true,
          is_won: true,
        }),
      ],
      events: [
        event({
          opportunity_id: 'o2',
          changed_at: t('03-01'),
          stage_id: 'Qualification',
          amount_native: 50,
          close_date: '2024-04-30',
        }),
        event({
          opportunity_id: 'o2',
          changed_at: t('04-02'),
          priority: 3,
          is_current: true,
          stage_id: 'Closed Won',
          amount_native: 50,
          close_date: '2024-04-02',
          forecast_category: 'Closed',
          owner_id: 'u1',
        }),
      ],
    },
    expect: [
      // Owner and forecast category were never logged: the current values stand for the past too.
      {
        valid_from: t('03-01'),
        valid_to: t('04-02'),
        stage: 'Qualification',
        close_date: '2024-04-30',
        owner_id: 'u1',
        forecast_category: 'Closed',
        is_won: false,
        is_closed: false,
        is_qualified: false,
      },
      {
        valid_from: t('04-02'),
        valid_to: null,
        stage: 'Closed Won',
        close_date: '2024-04-02',
        owner_id: 'u1',
        forecast_category: 'Closed',
        is_won: true,
        is_closed: true,
        is_qualified: true,
      },
    ],
  },
] satisfies readonly {
  name: string
  given: {
    stages?: readonly Partial<Stage>[]
    opps?: readonly Partial<RowOf<typeof intOpportunities>>[]
    events?: readonly Partial<Event>[]
  }
  expect: readonly Partial<z.output<typeof OpportunityState>>[]
}[]
