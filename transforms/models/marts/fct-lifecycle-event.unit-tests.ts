import type { RowOf } from '../../framework/index.js'
import type { intOpportunities } from '../intermediate/int-opportunities.js'
import type { intPeople } from '../intermediate/int-people.js'
import type { stgHubspotContacts } from '../staging/hubspot/stg-hubspot-contacts.js'
import type { stgSalesforceLead } from '../staging/salesforce/stg-salesforce-lead.js'

const t = (day: string) => `2024-${day}T11:00:00.000Z`
const person = (row: Partial<RowOf<typeof intPeople>>): Partial<RowOf<typeof intPeople>> => ({
  lifecycle_record: 'hubspot',
  channel: 'organic',
  is_paid_channel: false,
  ...row,
})
const contact = (
  row: Partial<RowOf<typeof stgHubspotContacts>>,
): Partial<RowOf<typeof stgHubspotContacts>> => ({
  is_deleted: false,
  ...row,
})
const lead = (row: Partial<RowOf<typeof stgSalesforceLead>>): Partial<RowOf<typeof stgSalesforceLead>> => ({
  is_deleted: false,
  is_converted: false,
  ...row,
})

/** Hand-written cases for first lifecycle entries (fct_lifecycle_event). */
export const lifecycleUnitTests = [
  {
    name: 'hubspot_entry_dates_never_the_current_stage',
    given: {
      people: [
        person({ person_id: 'c1', account_id: 'a1', channel: 'paid', is_paid_channel: true }),
        person({ person_id: 'c2' }),
        person({ person_id: 'c3' }),
      ],
      contacts: [
        // Skipped MQL, and still says `customer` though it churned long ago: only the dates count.
        contact({
          contact_id: 'c1',
          lifecycle_stage: 'customer',
          became_lead_at: t('01-02'),
          became_sql_at: t('01-09'),
          became_opportunity_at: t('01-10'),
          became_customer_at: t('02-20'),
        }),
        // Says `salesqualifiedlead` now; its MQL entry is still in January.
        contact({
          contact_id: 'c2',
          lifecycle_stage: 'salesqualifiedlead',
          became_lead_at: t('01-05'),
          became_mql_at: t('01-25'),
          became_sql_at: t('03-03'),
        }),
        contact({ contact_id: 'c3', is_deleted: true, became_lead_at: t('01-05') }),
      ],
    },
    expect: [
      {
        person_id: 'c1',
        stage: 'lead',
        entered_at: t('01-02'),
        account_id: 'a1',
        channel: 'paid',
        is_paid_channel: true,
      },
      {
        person_id: 'c1',
        stage: 'sql',
        entered_at: t('01-09'),
        account_id: 'a1',
        channel: 'paid',
        is_paid_channel: true,
      },
      {
        person_id: 'c1',
        stage: 'opportunity',
        entered_at: t('01-10'),
        account_id: 'a1',
        channel: 'paid',
        is_paid_channel: true,
      },
      {
        person_id: 'c1',
        stage: 'customer',
        entered_at: t('02-20'),
        account_id: 'a1',
        channel: 'paid',
        is_paid_channel: true,
      },
      {
        person_id: 'c2',
        stage: 'lead',
        entered_at: t('01-05'),
        account_id: null,
        channel: 'organic',
        is_paid_channel: false,
      },
      {
        person_id: 'c2',
        stage: 'mql',
        entered_at: t('01-25'),
        account_id: null,
        channel: 'organic',
        is_paid_channel: false,
      },
      {
        person_id: 'c2',
        stage: 'sql',
        entered_at: t('03-03'),
        account_id: null,
        channel: 'organic',
        is_paid_channel: false,
      },
    ],
  },
  {
    name: 'salesforce_only_leads_enter_at_creation_and_conversion',
    given: {
      people: [
        person({ person_id: 'l1', lifecycle_record: 'salesforce', account_id: 'a1', channel: 'outbound' }),
        person({ person_id: 'l2', lifecycle_record: 'salesforce', channel: 'outbound' }),
      ],
      leads: [
        lead({
          lead_id: 'l1',
          created_at: t('01-03'),
          is_converted: true,
          converted_date: '2024-02-01',
          converted_account_id: 'a1',
          converted_opportunity_id: 'o1',
        }),
        lead({
          lead_id: 'l2',
          created_at: t('01-04'),
          is_converted: true,
          converted_date: '2024-02-05',
          converted_account_id: 'a2',
        }),
        // A lead whose person HubSpot knows is HubSpot's to tell.
        lead({ lead_id: 'l3', created_at: t('01-04') }),
      ],
      opps: [
        { opportunity_id: 'o1', account_id: 'a1', created_at: '2024-02-01T15:30:00.000Z' },
      ] satisfies Partial<RowOf<typeof intOpportunities>>[],
      states: [
        { opportunity_id: 'o1', valid_from: '2024-02-01T15:30:00.000Z', is_won: false },
        { opportunity_id: 'o1', valid_from: t('03-01'), is_won: true },
      ],
    },
    expect: [
      { person_id: 'l1', stage: 'lead', entered_at: t('01-03') },
      { person_id: 'l1', stage: 'sql', entered_at: '2024-02-01T15:30:00.000Z' },
      { person_id: 'l1', stage: 'opportunity', entered_at: '2024-02-01T15:30:00.000Z' },
      { person_id: 'l1', stage: 'customer', entered_at: t('03-01') },
      { person_id: 'l2', stage: 'lead', entered_at: t('01-04') },
      // Converted without an opportunity: SQL at the conversion date, no opportunity entry.
      { person_id: 'l2', stage: 'sql', entered_at: '2024-02-05T00:00:00.000Z' },
    ],
  },
]
