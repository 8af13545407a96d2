import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../framework/index.js'
import { HUBSPOT_QUALIFIED_PROBABILITY, SALESFORCE_STAGES } from '../rules/sales-stages.js'
import { stgHubspotDealPipelineStages } from '../staging/hubspot/stg-hubspot-deal-pipeline-stages.js'
import { stageKey } from './stage-key.js'

/**
 * Every stage an opportunity can be in: the declared Salesforce path (rules/sales-stages.ts) and
 * the stages of every HubSpot pipeline, with order, closed/won/lost and the qualified gate.
 */
export const intOpportunityStages = defineModel({
  name: 'int_opportunity_stages',
  layer: 'intermediate',
  materialized: 'table',
  description: 'Sales stages of both CRMs with their order on the sales path and the qualified rule.',
  inputs: { hubspot: stgHubspotDealPipelineStages },
  columns: z.object({
    stage_key: z.string(),
    source_system: z.string(),
    pipeline_id: z.string().nullable(),
    stage_id: z.string(),
    stage: z.string(),
    stage_order: z.int(),
    is_closed: z.boolean(),
    is_won: z.boolean(),
    is_lost: z.boolean(),
    is_qualified: z.boolean(),
  }),
  query: ({ db }) => {
    const declared = SALESFORCE_STAGES.map((s) =>
      db.selectNoFrom(() => [
        sql<string>`${`salesforce::${s.stage}`}`.as('stage_key'),
        sql<string>`'salesforce'`.as('source_system'),
        sql<string | null>`CAST(NULL AS VARCHAR)`.as('pipeline_id'),
        sql<string>`${s.stage}`.as('stage_id'),
        sql<string>`${s.stage}`.as('stage'),
        sql<number>`${s.order}`.as('stage_order'),
        sql<boolean>`${s.isClosed}`.as('is_closed'),
        sql<boolean>`${s.isWon}`.as('is_won'),
        sql<boolean>`${s.isClosed && !s.isWon}`.as('is_lost'),
        sql<boolean>`${s.isQualified}`.as('is_qualified'),
      ]),
    )
    const hubspot = db
      .selectFrom('hubspot')
      .where('hubspot.is_deleted', '=', false)
      .select((eb) => [
        stageKey(sql`'hubspot'`, eb.ref('hubspot.pipeline_id'), eb.ref('hubspot.stage_id')).as('stage_key'),
        sql<string>`'hubspot'`.as('source_system'),
        eb.ref('hubspot.pipeline_id').$castTo<string | null>().as('pipeline_id'),
        'hubspot.stage_id',
        eb.ref('hubspot.stage_label').as('stage'),
        sql<number>`${eb.ref('hubspot.display_order')} + 1`.as('stage_order'),
        'hubspot.is_closed',
        'hubspot.is_won',
        sql<boolean>`(${eb.ref('hubspot.is_closed')} AND NOT ${eb.ref('hubspot.is_won')})`.as('is_lost'),
        sql<boolean>`(${eb.ref('hubspot.is_won')} OR (NOT ${eb.ref('hubspot.is_closed')} AND coalesce(${eb.ref('hubspot.probability')}, 0) >= ${HUBSPOT_QUALIFIED_PROBABILITY}))`.as(
          'is_qualified',
        ),
      ])
    return declared.reduce((union, row) => union.unionAll(row), hubspot)
  },
  tests: (t) => [t.unique('stage_key')],
})
