import { S3Client } from '@aws-sdk/client-s3'
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import type { Context } from 'aws-lambda'
import { z } from 'zod'
import { SOURCE_DIMENSION } from '../../core/config/ops-metrics.js'
import { S3LakeStore } from '../../core/lake/s3-lake-store.js'
import type { PullSummary } from '../../sources/landing/pull-report.js'
import { runPull, type SourcePull } from '../../sources/landing/pull-source.js'
import { emfLine } from './emf.js'
import { pullMetrics } from './pull-metrics.js'

/** What every pull Lambda needs besides its source's settings (sources/<vendor>/pull-*.ts). */
const HandlerEnv = z.object({
  /** The raw bucket: the lake of core/lake/layout.ts (`raw/`, `quarantine/`, `state/`). */
  RAW_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name'),
  /** A folder inside the bucket that holds the lake; empty for the bucket root. */
  RAW_PREFIX: z.string().default(''),
})

/**
 * The input an EventBridge Scheduler schedule sends (its target's `Input`), or an EventBridge
 * rule's event with the same options in `detail`. Both are optional: `{}` pulls incrementally.
 */
const PullEvent = z
  .looseObject({
    fullRefresh: z.boolean().optional(),
    detail: z.looseObject({ fullRefresh: z.boolean().optional() }).optional(),
  })
  .nullish()

/** A pull that stopped on an error: thrown so that the invocation fails (retries, DLQ, alarm). */
export class PullFailedError extends Error {
  override readonly name = 'PullFailedError'
}

type PullContext = Pick<Context, 'getRemainingTimeInMillis'>

// One client each per container, reused by warm invocations.
let s3: S3Client | undefined
let secrets: SecretsManagerClient | undefined

/**
 * A pull Lambda for one source: parses env and event, pulls into the S3 lake with the same code as
 * `revops pull`, and stops starting pages when the invocation nears its deadline (the window stays
 * open and the next scheduled run continues it; the summary says `continued`). A pull that fails
 * throws, after logging its summary, so a partial pull never looks like a success.
 */
export function pullHandler(
  spec: SourcePull,
): (event: unknown, context: PullContext) => Promise<PullSummary> {
  return async (event, context) => {
    const env = HandlerEnv.safeParse(process.env)
    if (!env.success) {
      const issue = env.error.issues[0]
      throw new Error(`pull-${spec.source} env: ${issue?.path.join('.')}: ${issue?.message}`)
    }
    const input = PullEvent.safeParse(event)
    if (!input.success)
      throw new Error(`pull-${spec.source}: not a schedule event: ${input.error.issues[0]?.message}`)
    s3 ??= new S3Client({})
    secrets ??= new SecretsManagerClient({})
    const summary = await runPull(spec, {
      store: new S3LakeStore({ client: s3, bucket: env.data.RAW_BUCKET, prefix: env.data.RAW_PREFIX }),
      env: process.env,
      secrets,
      fullRefresh: input.data?.fullRefresh ?? input.data?.detail?.fullRefresh ?? false,
      remainingMs: () => context.getRemainingTimeInMillis(),
    })
    // One log line per run: the numbers an alarm or a person looks for first.
    console.log(
      JSON.stringify({
        pull: spec.source,
        status: summary.status,
        run_id: summary.run_id,
        totals: summary.totals,
        requests: summary.requests,
        error: summary.error,
        watermarks: Object.fromEntries(summary.entities.map((e) => [e.entity, e.watermark_after])),
      }),
    )
    // The same run as metrics (landed, quarantined, watermark lag, failed) for the ingestion alarms.
    console.log(emfLine({ [SOURCE_DIMENSION]: spec.source }, pullMetrics(summary, new Date())))
    if (summary.status === 'failed') throw new PullFailedError(`${spec.source} pull failed: ${summary.error}`)
    return summary
  }
}
