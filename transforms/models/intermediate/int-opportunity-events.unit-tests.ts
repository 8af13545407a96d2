import type { z } from 'zod'
import type { RowOf } from '../../framework/index.js'
import type { stgSalesforceOpportunityFieldHistory } from '../staging/salesforce/stg-salesforce-opportunity-field-history.js'
import type { stgSalesforceOpportunityHistory } from '../staging/salesforce/stg-salesforce-opportunity-history.js'
import type { intOpportunities } from './int-opportunities.js'
import type { OpportunityEvent } from './int-opportunity-events.js'

type History = Partial<RowOf<typeof stgSalesforceOpportunityHistory>>
type FieldHistory = Partial<RowOf<typeof stgSalesforceOpportunityFieldHistory>>
type Event = Partial<z.output<typeof OpportunityEvent>>

const t = (day: string) => `2024-${day}T10:00:00.000Z`
const history = (row: History): History => ({ is_deleted: false, close_date: '2024-05-31', ...row })
const change = (row: FieldHistory): FieldHistory => ({ is_deleted: false, created_by_id: 'u9', ...row })
const event = (row: Event): Event => ({
  opportunity_id: 'o1',
  is_current: false,
  stage_set: row.stage_id !== undefined,
  amount_set: row.amount_native !== undefined,
  owner_set: row.owner_id !== undefined,
  stage_id: null,
  amount_native: null,
  owner_id: null,
  ...row,
})

/** Hand-written cases for the change events (int_opportunity_events). */
export const opportunityEventUnitTests = [
  {
    name: 'history_rows_field_changes_initial_values_and_the_current_record',
    given: {
      opps: [
        {
          opportunity_id: 'o1',
          source_system: 'salesforce' as const,
          stage_id: 'Proposal/Price Quote',
          amount_native: 200,
          close_date: '2024-05-31',
          owner_id: 'u2',
          forecast_category: 'Best Case',
          created_at: t('04-01'),
          last_modified_at: t('04-20'),
        },
      ] satisfies Partial<RowOf<typeof intOpportunities>>[],
      oh: [
        history({
          history_id: 'h1',
          opportunity_id: 'o1',
          created_at: t('04-01'),
          stage_name: 'Qualification',
          amount_native: 100,
          forecast_category: 'Pipeline',
        }),
        history({
          history_id: 'h2',
          opportunity_id: 'o1',
          created_at: t('04-10'),
          stage_name: 'Proposal/Price Quote',
          amount_native: 200,
          forecast_category: 'Best Case',
        }),
        // A deleted opportunity's history and a deleted history row are not the story.
        history({
          history_id: 'h3',
          opportunity_id: 'gone',
          created_at: t('04-02'),
          stage_name: 'Qualification',
        }),
        history({
          history_id: 'h4',
          opportunity_id: 'o1',
          created_at: t('04-03'),
          stage_name: 'Closed Lost',
          is_deleted: true,
        }),
      ],
      ofh: [
        change({
          field_history_id: 'f1',
          opportunity_id: 'o1',
          created_at: t('04-10'),
          field: 'Owner',
          data_type: 'EntityId',
          old_value: 'u1',
          new_value: 'u2',
        }),
        // Salesforce's twin row of the same owner change, with names: not an owner id.
        change({
          field_history_id: 'f2',
          opportunity_id: 'o1',
          created_at: t('04-10'),
          field: 'Owner',
          data_type: 'Text',
          old_value: 'Ann Lee',
          new_value: 'Bob Ray',
        }),
        change({
          field_history_id: 'f3',
          opportunity_id: 'o1',
          created_at: t('04-10'),
          field: 'Amount',
          data_type: 'Currency',
          old_value: '100',
          new_value: '200',
        }),
        change({
          field_history_id: 'f4',
          opportunity_id: 'o1',
          created_at: t('04-01'),
          field: 'created',
          data_type: 'Text',
        }),
      ],
    },
    expect: [
      event({ changed_at: t('04-01'), priority: 2, stage_id: 'Qualification', amount_native: 100 }),
      event({ changed_at: t('04-10'), priority: 2, stage_id: 'Proposal/Price Quote', amount_native: 200 }),
      event({ changed_at: t('04-10'), priority: 1, owner_id: 'u2' }),
      event({ changed_at: t('04-10'), priority: 1, amount_native: 200 }),
      // What the owner and amount were before their first change, as of creation.
      event({ changed_at: t('04-01'), priority: 0, owner_id: 'u1' }),
      event({ changed_at: t('04-01'), priority: 0, amount_native: 100 }),
      event({
        changed_at: t('04-20'),
        priority: 3,
        is_current: true,
        stage_id: 'Proposal/Price Quote',
        amount_native: 200,
        owner_id: 'u2',
      }),
    ],
  },
]
