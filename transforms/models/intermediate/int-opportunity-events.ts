import { sql } from 'kysely'
import { z } from 'zod'
import type { SqlDialect } from '../../../core/sql/dialect.js'
import { defineModel } from '../../framework/index.js'
import { stgHubspotDealStageEntries } from '../staging/hubspot/stg-hubspot-deal-stage-entries.js'
import { dateOf } from '../staging/records/payload-fields.js'
import { stgSalesforceOpportunityFieldHistory } from '../staging/salesforce/stg-salesforce-opportunity-field-history.js'
import { stgSalesforceOpportunityHistory } from '../staging/salesforce/stg-salesforce-opportunity-history.js'
import { intOpportunities } from './int-opportunities.js'
import { opportunityEventUnitTests } from './int-opportunity-events.unit-tests.js'
import { intOpportunityStages } from './int-opportunity-stages.js'

/**
 * Order of events at the same instant: an opportunity's values before its first tracked change
 * come first, then single-field changes, then the full snapshots that OpportunityHistory (or a
 * HubSpot stage entry) writes; the current record is always last (see `is_current`).
 */
export const EVENT_PRIORITY = { initial: 0, fieldChange: 1, snapshot: 2, current: 3 } as const

/** One change of an opportunity's state: each attribute it sets, with `<attribute>_set`. */
export const OpportunityEvent = z.object({
  opportunity_id: z.string(),
  changed_at: z.iso.datetime(),
  priority: z.int(),
  is_current: z.boolean(),
  stage_id: z.string().nullable(),
  stage_set: z.boolean(),
  amount_native: z.number().nullable(),
  amount_set: z.boolean(),
  close_date: z.iso.date().nullable(),
  close_date_set: z.boolean(),
  forecast_category: z.string().nullable(),
  forecast_set: z.boolean(),
  owner_id: z.string().nullable(),
  owner_set: z.boolean(),
})

/** OpportunityFieldHistory fields that make up the state the history marts rebuild. */
const TRACKED_FIELDS = ['StageName', 'Amount', 'CloseDate', 'ForecastCategoryName', 'Owner', 'OwnerId']

/**
 * Every known change of an opportunity's state, one row per change, each setting only the
 * attributes it knows (`<attribute>_set`): OpportunityHistory rows (stage, amount, close date,
 * forecast category after the change), OpportunityFieldHistory changes (also the owner, which
 * OpportunityHistory does not log; owner changes are the rows with ids, not the twin rows with
 * names), the values before the first tracked change (its old value, at creation), HubSpot stage
 * entries for deals HubSpot is the record of, and the current record, which always ends the
 * history: the current state wins over a history export that lags behind it.
 */
export const intOpportunityEvents = defineModel({
  name: 'int_opportunity_events',
  layer: 'intermediate',
  materialized: 'table',
  description:
    'Changes of opportunity state from Salesforce history tables, HubSpot stage dates and current records.',
  inputs: {
    opps: intOpportunities,
    oh: stgSalesforceOpportunityHistory,
    ofh: stgSalesforceOpportunityFieldHistory,
    entries: stgHubspotDealStageEntries,
    stages: intOpportunityStages,
  },
  columns: OpportunityEvent,
  query: ({ db, dialect }) => {
    const bool = (value: boolean) => sql<boolean>`${value}`
    const noText = sql<string | null>`CAST(NULL AS VARCHAR)`
    const noNumber = sql<number | null>`CAST(NULL AS DOUBLE)`
    const noDate = sql<string | null>`CAST(NULL AS DATE)`

    const history = db
      .selectFrom('oh')
      .innerJoin('opps', 'opps.opportunity_id', 'oh.opportunity_id')
      .where('oh.is_deleted', '=', false)
      .where('oh.created_at', 'is not', null)
      .select((eb) => [
        'oh.opportunity_id',
        eb.ref('oh.created_at').$notNull().as('changed_at'),
        sql<number>`${EVENT_PRIORITY.snapshot}`.as('priority'),
        bool(false).as('is_current'),
        'oh.stage_name as stage_id',
        sql<boolean>`${eb.ref('oh.stage_name')} IS NOT NULL`.as('stage_set'),
        'oh.amount_native',
        bool(true).as('amount_set'),
        'oh.close_date',
        sql<boolean>`${eb.ref('oh.close_date')} IS NOT NULL`.as('close_date_set'),
        'oh.forecast_category',
        sql<boolean>`${eb.ref('oh.forecast_category')} IS NOT NULL`.as('forecast_set'),
        noText.as('owner_id'),
        bool(false).as('owner_set'),
      ])

    // Tracked field changes, owner changes only as ids (Salesforce user ids start with 005).
    const changes = db
      .selectFrom('ofh')
      .innerJoin('opps', 'opps.opportunity_id', 'ofh.opportunity_id')
      .where('ofh.is_deleted', '=', false)
      .where('ofh.created_at', 'is not', null)
      .where('ofh.field', 'in', TRACKED_FIELDS)
      .where((eb) =>
        eb.or([
          eb('ofh.field', 'not in', ['Owner', 'OwnerId']),
          eb('ofh.data_type', '=', 'EntityId'),
          eb.and([eb('ofh.data_type', 'is', null), eb('ofh.new_value', 'like', '005%')]),
        ]),
      )
      .select([
        'ofh.opportunity_id',
        'ofh.field',
        'ofh.old_value',
        'ofh.new_value',
        'ofh.created_at',
        sql<number>`row_number() OVER (PARTITION BY ${sql.ref('ofh.opportunity_id')}, ${sql.ref('ofh.field')} ORDER BY ${sql.ref('ofh.created_at')}, ${sql.ref('ofh.field_history_id')})`.as(
          'change_number',
        ),
      ])

    const fieldChanges = db
      .selectFrom(changes.as('c'))
      .select((eb) => [
        'c.opportunity_id',
        eb.ref('c.created_at').$notNull().as('changed_at'),
        sql<number>`${EVENT_PRIORITY.fieldChange}`.as('priority'),
        bool(false).as('is_current'),
        ...fieldValues(dialect, 'c.new_value', 'c.field'),
      ])

    // The value each field had before its first change, as of the opportunity's creation.
    const initial = db
      .selectFrom(changes.as('c'))
      .innerJoin('opps', 'opps.opportunity_id', 'c.opportunity_id')
      .where('c.change_number', '=', 1)
      .select([
        'c.opportunity_id',
        'opps.created_at as changed_at',
        sql<number>`${EVENT_PRIORITY.initial}`.as('priority'),
        bool(false).as('is_current'),
        ...fieldValues(dialect, 'c.old_value', 'c.field'),
      ])

    // Deals HubSpot is the record of: a stage entry with the forecast category its stage implies.
    const hubspot = db
      .selectFrom('entries')
      .innerJoin('opps', 'opps.opportunity_id', 'entries.deal_id')
      .leftJoin('stages', (j) =>
        j
          .on('stages.source_system', '=', 'hubspot')
          .onRef('stages.pipeline_id', '=', 'entries.pipeline_id')
          .onRef('stages.stage_id', '=', 'entries.stage_id'),
      )
      .where('opps.source_system', '=', 'hubspot')
      .select((eb) => [
        'entries.deal_id as opportunity_id',
        'entries.entered_at as changed_at',
        sql<number>`${EVENT_PRIORITY.snapshot}`.as('priority'),
        bool(false).as('is_current'),
        eb.ref('entries.stage_id').$castTo<string | null>().as('stage_id'),
        bool(true).as('stage_set'),
        noNumber.as('amount_native'),
        bool(false).as('amount_set'),
        noDate.as('close_date'),
        bool(false).as('close_date_set'),
        sql<
          string | null
        >`CASE WHEN ${eb.ref('stages.is_won')} THEN 'Closed' WHEN ${eb.ref('stages.is_lost')} THEN 'Omitted' ELSE 'Pipeline' END`.as(
          'forecast_category',
        ),
        bool(true).as('forecast_set'),
        noText.as('owner_id'),
        bool(false).as('owner_set'),
      ])

    const current = db
      .selectFrom('opps')
      .select((eb) => [
        'opps.opportunity_id',
        'opps.last_modified_at as changed_at',
        sql<number>`${EVENT_PRIORITY.current}`.as('priority'),
        bool(true).as('is_current'),
        eb.ref('opps.stage_id').$castTo<string | null>().as('stage_id'),
        bool(true).as('stage_set'),
        'opps.amount_native',
        bool(true).as('amount_set'),
        'opps.close_date',
        bool(true).as('close_date_set'),
        'opps.forecast_category',
        bool(true).as('forecast_set'),
        'opps.owner_id',
        bool(true).as('owner_set'),
      ])

    return history.unionAll(fieldChanges).unionAll(initial).unionAll(hubspot).unionAll(current)
  },
  unitTests: opportunityEventUnitTests,
})

/** The state attributes one OpportunityFieldHistory value sets, by its field. */
function fieldValues(dialect: SqlDialect, value: string, field: string) {
  const v = sql.ref<string | null>(value)
  const is = (...names: string[]) =>
    sql<boolean>`${sql.ref(field)} IN (${sql.join(names.map((n) => sql`${n}`))})`
  return [
    sql<string | null>`CASE WHEN ${is('StageName')} THEN ${v} END`.as('stage_id'),
    is('StageName').as('stage_set'),
    sql<number | null>`CASE WHEN ${is('Amount')} THEN ${dialect.tryCast(v, 'double')} END`.as(
      'amount_native',
    ),
    is('Amount').as('amount_set'),
    sql<string | null>`CASE WHEN ${is('CloseDate')} THEN ${dateOf(dialect, v)} END`.as('close_date'),
    is('CloseDate').as('close_date_set'),
    sql<string | null>`CASE WHEN ${is('ForecastCategoryName')} THEN ${v} END`.as('forecast_category'),
    is('ForecastCategoryName').as('forecast_set'),
    sql<string | null>`CASE WHEN ${is('Owner', 'OwnerId')} THEN ${v} END`.as('owner_id'),
    is('Owner', 'OwnerId').as('owner_set'),
  ] as const
}
