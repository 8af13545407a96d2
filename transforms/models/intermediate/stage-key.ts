import { type Expression, type RawBuilder, sql } from 'kysely'

/**
 * Identifies a stage across CRMs and pipelines: `salesforce::<StageName>` or
 * `hubspot:<pipelineId>:<stageId>` (HubSpot stage ids are unique only within their pipeline).
 */
export function stageKey(
  sourceSystem: Expression<string | null>,
  pipelineId: Expression<string | null>,
  stageId: Expression<string | null>,
): RawBuilder<string> {
  return sql<string>`(${sourceSystem} || ':' || coalesce(${pipelineId}, '') || ':' || ${stageId})`
}
