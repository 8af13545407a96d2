import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { AthenaEngine } from '../../core/engines/athena-engine.js'
import { metricsSchema, publishGovernedViews } from '../../semantic/governed-views.js'
import { projectCatalog } from '../../semantic/project.js'

const ViewsEnv = z.object({
  REVOPS_SCHEMA_PREFIX: z
    .string()
    .regex(/^[a-z0-9_]*$/)
    .default('revops_'),
  /** Where `metric_values` keeps its data: `s3://<warehouse bucket>`. */
  REVOPS_TABLE_LOCATION: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'expected s3://<bucket>'),
})

/** The last build step's output, passed through: the state machine decides on `ok` after publishing. */
const ViewsInput = z.looseObject({ ok: z.boolean().optional() }).nullish()

export interface ViewsResult {
  readonly ok: boolean
  /** Governed views created or replaced. */
  readonly views: number
  readonly publishedAt: string
  readonly [key: string]: unknown
}

let engine: AthenaEngine | undefined

/**
 * The last state of the build state machine: (re)creates the governed views, one per metric in
 * `<prefix>metrics`, and refreshes `metric_values` from the marts the build just promoted, into a
 * fresh folder of the warehouse bucket. Runs after every build, failed models or not: the marts
 * that passed are promoted, and `metric_values` must show what the views show.
 */
export async function handler(event: unknown): Promise<ViewsResult> {
  const env = ViewsEnv.safeParse(process.env)
  if (!env.success) {
    const issue = env.error.issues[0]
    throw new Error(`views env: ${issue?.path.join('.')}: ${issue?.message}`)
  }
  const input = ViewsInput.safeParse(event)
  if (!input.success) throw new Error(`views input: ${input.error.issues[0]?.message}`)
  engine ??= AthenaEngine.fromEnv(process.env)
  const schemaPrefix = env.data.REVOPS_SCHEMA_PREFIX
  const schema = metricsSchema({ schemaPrefix })
  const base = env.data.REVOPS_TABLE_LOCATION.replace(/\/+$/, '')
  const views = await publishGovernedViews(engine, projectCatalog(), {
    schemaPrefix,
    location: `${base}/${schema}/metric_values/${randomUUID()}/`,
  })
  const publishedAt = new Date().toISOString()
  console.log(JSON.stringify({ governed_views: views, schema, published_at: publishedAt }))
  return { ...(input.data ?? {}), ok: input.data?.ok ?? true, views, publishedAt }
}
