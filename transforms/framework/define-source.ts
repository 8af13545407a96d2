import { z } from 'zod'
import { RAW_SCHEMA, rawTableName } from '../../core/config/names.js'
import { UserError } from '../../core/errors.js'
import { ENVELOPE_PARTITION, Envelope } from '../../core/lake/envelope.js'
import { checkName, type RelationBase } from './relation.js'

/** A raw table's row: the landed envelope plus the `ingest_date` partition of its lake key. */
export const EnvelopeRow = Envelope.extend({ [ENVELOPE_PARTITION.name]: z.iso.date() })
export type EnvelopeRow = z.infer<typeof EnvelopeRow>

export const Freshness = z
  .object({
    /** `_ingested_at` (when the lake received it, the default) or `_updated_at` (the vendor's cursor). */
    field: z.enum(['_ingested_at', '_updated_at']).default('_ingested_at'),
    warnAfterHours: z.number().positive().optional(),
    errorAfterHours: z.number().positive().optional(),
  })
  .refine((f) => f.warnAfterHours !== undefined || f.errorAfterHours !== undefined, {
    message: 'set warnAfterHours, errorAfterHours or both',
  })
export type Freshness = z.infer<typeof Freshness>

export interface SourceDefinition {
  /** The vendor, as in the lake key `source=<source>` (e.g. `stripe`). */
  readonly source: string
  /** The entity, as in `entity=<entity>` (e.g. `invoices`). */
  readonly entity: string
  readonly description?: string
  readonly freshness?: z.input<typeof Freshness>
}

/** A landed source entity, readable as `raw.<source>__<entity>` on both engines. */
export interface Source extends RelationBase<typeof EnvelopeRow> {
  readonly kind: 'source'
  readonly source: string
  readonly entity: string
  /** The table in the `raw` schema. */
  readonly table: { readonly schema: string; readonly name: string }
  readonly freshness: Freshness | undefined
}

/**
 * Declares a raw envelope table. On DuckDB the framework exposes the lake's files under this name;
 * on Athena it is the Glue table the CDK app creates.
 */
export function defineSource(definition: SourceDefinition): Source {
  const source = checkName('source', definition.source)
  const entity = checkName('entity', definition.entity)
  const name = rawTableName(source, entity)
  const freshness = definition.freshness === undefined ? undefined : Freshness.safeParse(definition.freshness)
  if (freshness && !freshness.success) {
    throw new UserError(`source ${name}: freshness: ${z.prettifyError(freshness.error).replace(/\n/g, '; ')}`)
  }
  return Object.freeze({
    kind: 'source',
    id: `${RAW_SCHEMA}.${name}`,
    source,
    entity,
    description: definition.description ?? '',
    columns: EnvelopeRow,
    table: { schema: RAW_SCHEMA, name },
    freshness: freshness?.data,
  })
}
