import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { rawHubspotDeals } from '../../sources/hubspot.js'
import { rankedVersions } from '../records/latest-versions.js'
import { timestampOf } from '../records/payload-fields.js'
import { stgHubspotDealPipelineStages } from './stg-hubspot-deal-pipeline-stages.js'

/**
 * When each HubSpot deal entered each stage of its pipeline, from the properties named by the
 * stage id: `hs_v2_date_entered_<stageId>` and the older `hs_date_entered_<stageId>` (the earlier
 * of the two). HubSpot overwrites them when a deal re-enters a stage, so a stage visited twice
 * shows its last entry only; skipped stages have no row.
 */
export const stgHubspotDealStageEntries = defineModel({
  name: 'stg_hubspot__deal_stage_entries',
  layer: 'staging',
  materialized: 'table',
  description: 'One row per HubSpot deal and pipeline stage it entered, with the entry time.',
  inputs: { raw: rawHubspotDeals, stages: stgHubspotDealPipelineStages },
  columns: z.object({
    deal_id: z.string(),
    pipeline_id: z.string(),
    stage_id: z.string(),
    entered_at: z.iso.datetime(),
  }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(
        db
          .selectFrom(rankedVersions(db).as('v'))
          .where('v.version', '=', 1)
          .innerJoin('stages', (j) =>
            j.on(
              sql<boolean>`${sql.ref('stages.pipeline_id')} = ${dialect.jsonString(sql.ref('v.payload'), ['properties', 'pipeline'])}`,
            ),
          )
          .select((eb) => {
            const entered = (prefix: string) =>
              timestampOf(
                dialect,
                dialect.jsonStringAt(
                  eb.ref('v.payload'),
                  'properties',
                  dialect.concat(sql.lit(prefix), eb.ref('stages.stage_id')),
                ),
              )
            return [
              'v._id as deal_id',
              'stages.pipeline_id',
              'stages.stage_id',
              entered('hs_v2_date_entered_').as('entered_v2'),
              entered('hs_date_entered_').as('entered_legacy'),
            ]
          })
          .as('e'),
      )
      .select((eb) => [
        'e.deal_id',
        'e.pipeline_id',
        'e.stage_id',
        sql<string>`coalesce(least(${eb.ref('e.entered_v2')}, ${eb.ref('e.entered_legacy')}), ${eb.ref('e.entered_v2')}, ${eb.ref('e.entered_legacy')})`.as(
          'entered_at',
        ),
      ])
      .where((eb) => eb.or([eb('e.entered_v2', 'is not', null), eb('e.entered_legacy', 'is not', null)])),
  tests: (t) => [t.unique(['deal_id', 'stage_id'])],
})
