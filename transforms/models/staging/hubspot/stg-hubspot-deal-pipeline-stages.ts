import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { rawHubspotDealPipelines } from '../../sources/hubspot.js'
import { fromItem } from '../envelope/from-item.js'
import { rankedVersions } from '../records/latest-versions.js'
import { payloadFields } from '../records/payload-fields.js'

/**
 * The stages of every HubSpot deal pipeline, in display order, with HubSpot's closed flag and
 * win probability (stage metadata). A stage is won when it is closed with probability 1.
 */
export const stgHubspotDealPipelineStages = defineModel({
  name: 'stg_hubspot__deal_pipeline_stages',
  layer: 'staging',
  materialized: 'table',
  description: 'One row per stage of each HubSpot deal pipeline (latest pipeline version).',
  inputs: { raw: rawHubspotDealPipelines },
  columns: z.object({
    pipeline_id: z.string(),
    pipeline_label: z.string().nullable(),
    stage_id: z.string(),
    stage_label: z.string(),
    display_order: z.int(),
    probability: z.number().nullable(),
    is_closed: z.boolean(),
    is_won: z.boolean(),
    is_deleted: z.boolean(),
  }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(
        db
          .selectFrom(rankedVersions(db).as('v'))
          .where('v.version', '=', 1)
          .crossJoin(
            fromItem<{ stage: string | null }, 'e'>(
              dialect.jsonArrayElements(sql.ref('v.payload'), 'stages', 'e', 'stage'),
            ),
          )
          .select((eb) => {
            const pipeline = payloadFields(dialect, eb.ref('v.payload'))
            const stage = payloadFields(dialect, eb.ref('e.stage'))
            return [
              'v._id as pipeline_id',
              pipeline.text('label').as('pipeline_label'),
              stage.text('id').as('stage_id'),
              stage.text('label').as('stage_label'),
              stage.integer('displayOrder').as('display_order'),
              stage.number(['metadata', 'probability']).as('probability'),
              stage.boolean(['metadata', 'isClosed']).as('is_closed'),
              stage.boolean('archived').as('stage_archived'),
              'v._deleted as is_deleted',
            ]
          })
          .as('s'),
      )
      .where('s.stage_id', 'is not', null)
      .select((eb) => [
        's.pipeline_id',
        's.pipeline_label',
        eb.fn.coalesce('s.stage_id', eb.val('')).as('stage_id'),
        eb.fn.coalesce('s.stage_label', 's.stage_id', eb.val('')).as('stage_label'),
        eb.fn.coalesce('s.display_order', eb.lit(0)).as('display_order'),
        's.probability',
        eb.fn.coalesce('s.is_closed', eb.lit(false)).as('is_closed'),
        sql<boolean>`coalesce(${sql.ref('s.is_closed')} AND ${sql.ref('s.probability')} >= 1, FALSE)`.as(
          'is_won',
        ),
        sql<boolean>`(${sql.ref('s.is_deleted')} OR coalesce(${sql.ref('s.stage_archived')}, FALSE))`.as(
          'is_deleted',
        ),
      ]),
  tests: (t) => [t.unique(['pipeline_id', 'stage_id'])],
})
