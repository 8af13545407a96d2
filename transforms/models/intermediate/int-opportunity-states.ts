import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../framework/index.js'
import { stgFinanceFxRates } from '../staging/finance/stg-finance-fx-rates.js'
import { baseRateOn, inReporting, rateIntervals, rateOn } from '../staging/records/fx.js'
import { intOpportunities } from './int-opportunities.js'
import { intOpportunityEvents } from './int-opportunity-events.js'
import { intOpportunityStages } from './int-opportunity-stages.js'
import { opportunityStateUnitTests } from './int-opportunity-states.unit-tests.js'
import { stageKey } from './stage-key.js'

/** The state attributes rebuilt from change events. */
const ATTRIBUTES = [
  { value: 'stage_id', set: 'stage_set' },
  { value: 'amount_native', set: 'amount_set' },
  { value: 'close_date', set: 'close_date_set' },
  { value: 'forecast_category', set: 'forecast_set' },
  { value: 'owner_id', set: 'owner_set' },
] as const

/** One state of an opportunity over `[valid_from, valid_to)`. */
export const OpportunityState = z.object({
  opportunity_id: z.string(),
  source_system: z.string(),
  state_number: z.int(),
  valid_from: z.iso.datetime(),
  valid_to: z.iso.datetime().nullable(),
  is_current: z.boolean(),
  stage_key: z.string(),
  stage: z.string(),
  stage_order: z.int().nullable(),
  is_closed: z.boolean(),
  is_won: z.boolean(),
  is_lost: z.boolean(),
  is_qualified: z.boolean(),
  currency: z.string(),
  amount_native: z.number().nullable(),
  amount: z.number().nullable(),
  close_date: z.iso.date().nullable(),
  forecast_category: z.string().nullable(),
  owner_id: z.string().nullable(),
})

/**
 * Each opportunity's state over time (SCD2), rebuilt from its change events: events are ordered
 * (the current record last), each attribute carries its last set value forward (an attribute no
 * event has set yet takes its current value: nothing older is known), events at one instant
 * collapse into the last of them, and consecutive identical states merge. A state holds over
 * `[valid_from, valid_to)`; the current one has `valid_to` NULL. `is_qualified` is sticky: once
 * an opportunity reached a qualified stage, it stays qualified (also after a step back or a loss).
 */
export const intOpportunityStates = defineModel({
  name: 'int_opportunity_states',
  layer: 'intermediate',
  materialized: 'table',
  description:
    'Opportunity state intervals rebuilt from history events, with stage order and the qualified rule.',
  inputs: {
    events: intOpportunityEvents,
    opps: intOpportunities,
    stages: intOpportunityStages,
    fx: stgFinanceFxRates,
  },
  columns: OpportunityState,
  query: ({ db }) => {
    const opp = sql.ref('e.opportunity_id')
    const sequence = sql`ORDER BY ${sql.ref('e.is_current')}, ${sql.ref('e.changed_at')}, ${sql.ref('e.priority')}`
    // Group numbers: a new group starts at every event that sets the attribute.
    const grouped = db
      .selectFrom('events as e')
      .select([
        'e.opportunity_id',
        'e.changed_at',
        'e.is_current',
        sql<number>`row_number() OVER (PARTITION BY ${opp} ${sequence})`.as('seq'),
        ...ATTRIBUTES.flatMap((a) => [
          sql.ref(`e.${a.value}`).as(a.value),
          sql<number>`count(CASE WHEN ${sql.ref(`e.${a.set}`)} THEN 1 END) OVER (PARTITION BY ${opp} ${sequence} ROWS UNBOUNDED PRECEDING)`.as(
            `${a.value}_group`,
          ),
        ]),
      ])
    return db
      .with('grouped', () => grouped)
      .with('filled', (qb) =>
        qb
          .selectFrom('grouped as g')
          .innerJoin('opps as o', 'o.opportunity_id', 'g.opportunity_id')
          .select([
            'g.opportunity_id',
            'g.seq',
            'g.is_current',
            // Instants never go backwards: a current record stamped before the last history row starts with it.
            sql<string>`max(${sql.ref('g.changed_at')}) OVER (PARTITION BY ${sql.ref('g.opportunity_id')} ORDER BY ${sql.ref('g.seq')} ROWS UNBOUNDED PRECEDING)`.as(
              'valid_from',
            ),
            ...ATTRIBUTES.map((a) =>
              sql`CASE WHEN ${sql.ref(`g.${a.value}_group`)} = 0 THEN ${sql.ref(`o.${a.value}`)} ELSE first_value(${sql.ref(`g.${a.value}`)}) OVER (PARTITION BY ${sql.ref('g.opportunity_id')}, ${sql.ref(`g.${a.value}_group`)} ORDER BY ${sql.ref('g.seq')}) END`.as(
                a.value,
              ),
            ),
          ]),
      )
      .with('instants', (qb) =>
        qb
          .selectFrom('filled as f')
          .selectAll('f')
          .select(
            sql<number>`row_number() OVER (PARTITION BY ${sql.ref('f.opportunity_id')}, ${sql.ref('f.valid_from')} ORDER BY ${sql.ref('f.seq')} DESC)`.as(
              'last_at_instant',
            ),
          ),
      )
      .with('changed', (qb) =>
        qb
          .selectFrom('instants as i')
          .where('i.last_at_instant', '=', 1)
          .selectAll('i')
          .select(
            sql<boolean>`coalesce(${sql.join(
              ATTRIBUTES.map(
                (a) =>
                  sql`${sql.ref(`i.${a.value}`)} IS DISTINCT FROM lag(${sql.ref(`i.${a.value}`)}) OVER (PARTITION BY ${sql.ref('i.opportunity_id')} ORDER BY ${sql.ref('i.seq')})`,
              ),
              sql` OR `,
            )}, TRUE)`.as('is_change'),
          )
          .select(
            sql<number>`row_number() OVER (PARTITION BY ${sql.ref('i.opportunity_id')} ORDER BY ${sql.ref('i.seq')})`.as(
              'position',
            ),
          ),
      )
      .with('states', (qb) =>
        qb
          .selectFrom('changed as c')
          .where((eb) => eb.or([eb('c.is_change', '=', true), eb('c.position', '=', 1)]))
          .selectAll('c')
          .select([
            sql<
              string | null
            >`lead(${sql.ref('c.valid_from')}) OVER (PARTITION BY ${sql.ref('c.opportunity_id')} ORDER BY ${sql.ref('c.seq')})`.as(
              'valid_to',
            ),
            sql<number>`row_number() OVER (PARTITION BY ${sql.ref('c.opportunity_id')} ORDER BY ${sql.ref('c.seq')})`.as(
              'state_number',
            ),
          ]),
      )
      .selectFrom('states as s')
      .innerJoin('opps as o', 'o.opportunity_id', 's.opportunity_id')
      .leftJoin('stages as st', (j) =>
        j.on(
          sql<boolean>`${sql.ref('st.stage_key')} = ${stageKey(sql.ref('o.source_system'), sql.ref('o.pipeline_id'), sql.ref('s.stage_id'))}`,
        ),
      )
      .leftJoin(rateIntervals(db).as('rate'), (j) =>
        j.on(rateOn('rate', sql.ref('o.currency'), sql.ref('s.close_date'))),
      )
      .leftJoin(rateIntervals(db).as('base'), (j) => j.on(baseRateOn(sql.ref('s.close_date'))))
      .select((eb) => {
        const sameAsNow = sql<boolean>`${sql.ref('s.stage_id')} = ${sql.ref('o.stage_id')}`
        // A stage missing from the declared stages is closed or won only if it is the current one and the record says so.
        const flag = (column: 'is_closed' | 'is_won') =>
          sql<boolean>`coalesce(${sql.ref(`st.${column}`)}, ${sameAsNow} AND ${sql.ref(`o.${column}`)}, FALSE)`
        return [
          's.opportunity_id',
          'o.source_system',
          sql<number>`${sql.ref('s.state_number')}`.as('state_number'),
          sql<string>`${sql.ref('s.valid_from')}`.as('valid_from'),
          sql<string | null>`${sql.ref('s.valid_to')}`.as('valid_to'),
          sql<boolean>`${sql.ref('s.valid_to')} IS NULL`.as('is_current'),
          stageKey(sql.ref('o.source_system'), sql.ref('o.pipeline_id'), sql.ref('s.stage_id')).as(
            'stage_key',
          ),
          sql<string>`coalesce(${sql.ref('st.stage')}, ${sql.ref('s.stage_id')})`.as('stage'),
          eb.ref('st.stage_order').$castTo<number | null>().as('stage_order'),
          flag('is_closed').as('is_closed'),
          flag('is_won').as('is_won'),
          sql<boolean>`(${flag('is_closed')} AND NOT ${flag('is_won')})`.as('is_lost'),
          sql<boolean>`max(CASE WHEN ${sql.ref('st.is_qualified')} OR (${flag('is_won')}) THEN 1 ELSE 0 END) OVER (PARTITION BY ${sql.ref('s.opportunity_id')} ORDER BY ${sql.ref('s.state_number')} ROWS UNBOUNDED PRECEDING) = 1`.as(
            'is_qualified',
          ),
          'o.currency',
          sql<number | null>`${sql.ref('s.amount_native')}`.as('amount_native'),
          inReporting(sql.ref('s.amount_native'), sql.ref('o.currency')).as('amount'),
          sql<string | null>`${sql.ref('s.close_date')}`.as('close_date'),
          sql<string | null>`${sql.ref('s.forecast_category')}`.as('forecast_category'),
          sql<string | null>`${sql.ref('s.owner_id')}`.as('owner_id'),
        ]
      })
  },
  unitTests: opportunityStateUnitTests,
  tests: (t) => [t.unique(['opportunity_id', 'state_number']), t.unique(['opportunity_id', 'valid_from'])],
})
