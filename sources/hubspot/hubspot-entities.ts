import { z } from 'zod'
import { defineEntity, type EntityContract } from '../contract.js'
import { dateTime, requiredDateTime } from '../fields.js'

/**
 * HubSpot CRM v3 objects (`{"id", "properties": {…}, "createdAt", "updatedAt", "archived"}`).
 * Property values are whatever the portal holds — lifecycle dates in
 * `hs_lifecyclestage_<stage>_date` / `hs_v2_date_entered_<stage>`, deal stage dates in
 * `hs_date_entered_<stageId>` — so properties are kept as given (scalars or null), never a fixed
 * list. Cursor: `updatedAt`. Deleted: `archived`.
 */

const propertyValue = z.union([z.string(), z.number(), z.boolean()]).nullable()

const crmObject = z.looseObject({
  id: z.string().min(1),
  properties: z.record(z.string(), propertyValue),
  createdAt: requiredDateTime(),
  updatedAt: requiredDateTime(),
  archived: z.boolean().optional(),
  archivedAt: dateTime(),
})

const pipeline = z.looseObject({
  id: z.string().min(1),
  label: z.string(),
  displayOrder: z.number().optional(),
  createdAt: requiredDateTime(),
  updatedAt: requiredDateTime(),
  archived: z.boolean().optional(),
  stages: z.array(
    z.looseObject({
      id: z.string().min(1),
      label: z.string(),
      displayOrder: z.number().optional(),
      metadata: z.record(z.string(), z.unknown()).optional(),
      archived: z.boolean().optional(),
    }),
  ),
})

type HubSpotRecord = { updatedAt: string; archived?: boolean | undefined } & Record<string, unknown>

function hubspotEntity(entity: string, schema: z.ZodType<HubSpotRecord>): EntityContract {
  return defineEntity({
    source: 'hubspot',
    entity,
    schema,
    primaryKey: ['id'],
    cursorField: 'updatedAt',
    cursor: (record) => record.updatedAt,
    deletedField: 'archived',
    deleted: (record) => record.archived === true,
  })
}

export const hubspotEntities: readonly EntityContract[] = [
  hubspotEntity('companies', crmObject),
  hubspotEntity('contacts', crmObject),
  hubspotEntity('deals', crmObject),
  hubspotEntity('deal_pipelines', pipeline),
]
