import { sql } from 'kysely'
import { defineModel } from '../../framework/index.js'
import { intOpportunityStates } from '../intermediate/int-opportunity-states.js'
import { FctOpportunityStageEvent } from './contracts.js'
import { fctOpportunity } from './fct-opportunity.js'
import { stageEventUnitTests } from './fct-opportunity-stage-event.unit-tests.js'

/**
 * Each opportunity's first entry into each stage, from its rebuilt history — never from current
 * values, so a deal that reached Negotiation and fell back still entered Negotiation. A visit
 * starts where the stage differs from the state before. `next_stage` and `exited_at` are where the
 * first visit led; `reached_next_stage` says whether the opportunity ever got further along the
 * sales path after entering the stage (a later stage that is not a loss; a step back is not
 * progress, and skipped stages are not entered); `days_in_stage` is the first visit's whole days.
 */
export const fctOpportunityStageEvent = defineModel({
  name: 'fct_opportunity_stage_event',
  layer: 'marts',
  materialized: 'table',
  description:
    'First entry of each opportunity into each stage, from history, with progress to a later stage.',
  inputs: { states: intOpportunityStates },
  columns: FctOpportunityStageEvent,
  query: ({ db, dialect }) => {
    const opp = sql.ref('v.opportunity_id')
    const byEntry = sql`PARTITION BY ${opp} ORDER BY ${sql.ref('v.entered_at')}, ${sql.ref('v.state_number')}`
    return db
      .with('starts', (qb) =>
        qb
          .selectFrom('states as s')
          .select([
            's.opportunity_id',
            's.state_number',
            's.stage_key',
            's.stage',
            's.stage_order',
            's.is_lost',
            's.owner_id',
            's.valid_from as entered_at',
            sql<
              string | null
            >`lag(${sql.ref('s.stage_key')}) OVER (PARTITION BY ${sql.ref('s.opportunity_id')} ORDER BY ${sql.ref('s.state_number')})`.as(
              'previous_key',
            ),
          ]),
      )
      .with('visits', (qb) =>
        qb
          .selectFrom('starts as v')
          .where((eb) =>
            eb.or([eb('v.previous_key', 'is', null), eb('v.previous_key', '<>', eb.ref('v.stage_key'))]),
          )
          .select([
            'v.opportunity_id',
            'v.state_number',
            'v.stage',
            'v.stage_order',
            'v.owner_id',
            'v.entered_at',
            sql<string | null>`lead(${sql.ref('v.entered_at')}) OVER (${byEntry})`.as('exited_at'),
            sql<string | null>`lead(${sql.ref('v.stage')}) OVER (${byEntry})`.as('next_stage'),
            sql<
              number | null
            >`max(CASE WHEN NOT ${sql.ref('v.is_lost')} THEN ${sql.ref('v.stage_order')} END) OVER (${byEntry} ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)`.as(
              'furthest_later_order',
            ),
            sql<number>`row_number() OVER (PARTITION BY ${opp}, ${sql.ref('v.stage')} ORDER BY ${sql.ref('v.entered_at')}, ${sql.ref('v.state_number')})`.as(
              'visit_number',
            ),
          ]),
      )
      .selectFrom('visits as v')
      .where('v.visit_number', '=', 1)
      .select((eb) => [
        'v.opportunity_id',
        'v.owner_id',
        'v.stage',
        sql<number>`coalesce(${eb.ref('v.stage_order')}, 0)`.as('stage_order'),
        'v.entered_at',
        'v.exited_at',
        'v.next_stage',
        sql<boolean>`coalesce(${eb.ref('v.furthest_later_order')} > ${eb.ref('v.stage_order')}, FALSE)`.as(
          'reached_next_stage',
        ),
        sql<
          number | null
        >`CASE WHEN ${eb.ref('v.exited_at')} IS NOT NULL THEN ${dialect.dateDiff('day', eb.ref('v.entered_at'), sql`${eb.ref('v.exited_at')}`)} END`.as(
          'days_in_stage',
        ),
      ])
  },
  unitTests: stageEventUnitTests,
  tests: (t) => [
    t.unique(['opportunity_id', 'stage']),
    t.relationships('opportunity_id', fctOpportunity, 'opportunity_id'),
    t.expression('exits_after_entry', (eb) =>
      eb.or([eb('exited_at', 'is', null), eb('exited_at', '>', eb.ref('entered_at'))]),
    ),
    t.expression('days_in_stage_not_negative', (eb) =>
      eb.or([eb('days_in_stage', 'is', null), eb('days_in_stage', '>=', 0)]),
    ),
  ],
})
