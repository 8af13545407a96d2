import { sql } from 'kysely'
import { defineModel } from '../../framework/index.js'
import { intOpportunities } from '../intermediate/int-opportunities.js'
import { intOpportunityStates } from '../intermediate/int-opportunity-states.js'
import { intPeople } from '../intermediate/int-people.js'
import { CHANNELS } from '../rules/channels.js'
import { stgHubspotContacts } from '../staging/hubspot/stg-hubspot-contacts.js'
import { stgSalesforceLead } from '../staging/salesforce/stg-salesforce-lead.js'
import { FctLifecycleEvent } from './contracts.js'
import { lifecycleUnitTests } from './fct-lifecycle-event.unit-tests.js'

export const LIFECYCLE_STAGES = ['lead', 'mql', 'sql', 'opportunity', 'customer'] as const

const HUBSPOT_DATES = {
  lead: 'became_lead_at',
  mql: 'became_mql_at',
  sql: 'became_sql_at',
  opportunity: 'became_opportunity_at',
  customer: 'became_customer_at',
} as const

/**
 * A person's first entry into each funnel stage, from entry dates — never from the current stage,
 * which HubSpot only moves forward and leaves stale. The record is HubSpot for everyone it knows
 * (its lifecycle date properties; a stage a contact skipped has no entry, none is inferred) and
 * the Salesforce lead for people only Salesforce knows: lead at its creation, SQL and opportunity
 * at its conversion (the converted opportunity's creation, else the conversion date), customer at
 * the first won state of an opportunity of its converted account from the conversion on.
 * Salesforce keeps no status history, so an MQL entry exists only in HubSpot.
 */
export const fctLifecycleEvent = defineModel({
  name: 'fct_lifecycle_event',
  layer: 'marts',
  materialized: 'table',
  description: 'First entry of each person into lead, MQL, SQL, opportunity and customer, from entry dates.',
  inputs: {
    people: intPeople,
    contacts: stgHubspotContacts,
    leads: stgSalesforceLead,
    opps: intOpportunities,
    states: intOpportunityStates,
  },
  columns: FctLifecycleEvent,
  query: ({ db, dialect }) => {
    const hubspot = LIFECYCLE_STAGES.map((stage) =>
      db
        .selectFrom('contacts as c')
        .where('c.is_deleted', '=', false)
        .where(`c.${HUBSPOT_DATES[stage]}`, 'is not', null)
        .select([
          'c.contact_id as person_id',
          sql<string>`${stage}`.as('stage'),
          sql<string>`${sql.ref(`c.${HUBSPOT_DATES[stage]}`)}`.as('entered_at'),
        ]),
    )
    const conversion = sql<string>`coalesce(${sql.ref('converted.created_at')}, ${dialect.cast(sql.ref('l.converted_date'), 'timestamp')})`
    const salesforceLeads = (qb: typeof db) =>
      qb
        .selectFrom('leads as l')
        .innerJoin('people as p', (j) =>
          j.onRef('p.person_id', '=', 'l.lead_id').on('p.lifecycle_record', '=', 'salesforce'),
        )
        .leftJoin('opps as converted', 'converted.opportunity_id', 'l.converted_opportunity_id')
        .where('l.is_deleted', '=', false)
    const won = db
      .selectFrom('leads as l')
      .innerJoin('opps as o', 'o.account_id', 'l.converted_account_id')
      .innerJoin('states as s', 's.opportunity_id', 'o.opportunity_id')
      .leftJoin('opps as converted', 'converted.opportunity_id', 'l.converted_opportunity_id')
      .where('s.is_won', '=', true)
      .where(sql<boolean>`${sql.ref('s.valid_from')} >= ${conversion}`)
      .select((eb) => ['l.lead_id', eb.fn.min('s.valid_from').as('won_at')])
      .groupBy('l.lead_id')
    const salesforce = [
      salesforceLeads(db)
        .where('l.created_at', 'is not', null)
        .select([
          'l.lead_id as person_id',
          sql<string>`'lead'`.as('stage'),
          sql<string>`${sql.ref('l.created_at')}`.as('entered_at'),
        ]),
      ...(['sql', 'opportunity'] as const).map((stage) =>
        salesforceLeads(db)
          .where('l.is_converted', '=', true)
          .where(stage === 'opportunity' ? 'l.converted_opportunity_id' : 'l.lead_id', 'is not', null)
          .where(sql<boolean>`${conversion} IS NOT NULL`)
          .select(['l.lead_id as person_id', sql<string>`${stage}`.as('stage'), conversion.as('entered_at')]),
      ),
      salesforceLeads(db)
        .innerJoin(won.as('w'), 'w.lead_id', 'l.lead_id')
        .select([
          'l.lead_id as person_id',
          sql<string>`'customer'`.as('stage'),
          sql<string>`${sql.ref('w.won_at')}`.as('entered_at'),
        ]),
    ]
    const [first, ...more] = hubspot
    let events = first as NonNullable<typeof first>
    for (const q of [...more, ...salesforce]) events = events.unionAll(q)
    return db
      .with('events', () => events)
      .selectFrom('events as e')
      .innerJoin('people as p', 'p.person_id', 'e.person_id')
      .select([
        'e.person_id',
        'e.stage',
        'e.entered_at',
        'p.account_id',
        sql<string>`${sql.ref('p.channel')}`.as('channel'),
        'p.is_paid_channel',
      ])
  },
  unitTests: lifecycleUnitTests,
  tests: (t) => [
    t.unique(['person_id', 'stage']),
    t.relationships('person_id', intPeople, 'person_id'),
    t.acceptedValues('stage', LIFECYCLE_STAGES),
    t.acceptedValues('channel', CHANNELS),
  ],
})
