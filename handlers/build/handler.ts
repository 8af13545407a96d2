import { S3Client } from '@aws-sdk/client-s3'
import type { Context } from 'aws-lambda'
import { z } from 'zod'
import { PROD_ENVIRONMENT } from '../../core/config/names.js'
import { BUILD_METRICS, ENVIRONMENT_DIMENSION } from '../../core/config/ops-metrics.js'
import { AthenaEngine } from '../../core/engines/athena-engine.js'
import { S3LakeStore } from '../../core/lake/s3-lake-store.js'
import { createGraph } from '../../transforms/framework/graph.js'
import { catalogSources } from '../../transforms/framework/sources.js'
import { Target } from '../../transforms/framework/target.js'
import { models } from '../../transforms/models/index.js'
import { emfLine } from '../pull-common/emf.js'
import { type BuildStepResult, buildStep, DEFAULT_BUILD_STEP_SETTINGS } from './build-step.js'

const seconds = (fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(0)
    .max(900)
    .default(fallback / 1000)

const BuildEnv = z.object({
  /** The raw bucket: the lake whose files version the raw tables. */
  RAW_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name'),
  RAW_PREFIX: z.string().default(''),
  /** Prefix of every Glue database (`revops_`). */
  REVOPS_SCHEMA_PREFIX: z
    .string()
    .regex(/^[a-z0-9_]*$/)
    .default('revops_'),
  /** Where built tables keep their data: `s3://<warehouse bucket>`. */
  REVOPS_TABLE_LOCATION: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'expected s3://<bucket>'),
  BUILD_BATCH_MODELS: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(DEFAULT_BUILD_STEP_SETTINGS.batchModels),
  BUILD_RESERVE_SECONDS: seconds(DEFAULT_BUILD_STEP_SETTINGS.reserveMs),
  BUILD_STOP_MARGIN_SECONDS: seconds(DEFAULT_BUILD_STEP_SETTINGS.stopMarginMs),
  BUILD_THREADS: z.coerce.number().int().min(1).max(16).default(DEFAULT_BUILD_STEP_SETTINGS.threads),
})

// One engine and client per container, reused by the following steps of a build.
let engine: AthenaEngine | undefined
let s3: S3Client | undefined

/**
 * One step of the build state machine: builds the project's models on Athena (workgroup from
 * REVOPS_ATHENA_WORKGROUP) into the prod environment, batch by batch until the invocation nears
 * its end, and returns the rest for the next step (handlers/build/build-step.ts). Raw tables are
 * the Glue tables of the catalog stack, versioned by listing the raw bucket. Throws only when the
 * build cannot go on at all (the state machine retries); failing models are in the result.
 */
export async function handler(
  event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<BuildStepResult> {
  const env = BuildEnv.safeParse(process.env)
  if (!env.success) {
    const issue = env.error.issues[0]
    throw new Error(`build env: ${issue?.path.join('.')}: ${issue?.message}`)
  }
  const e = env.data
  engine ??= AthenaEngine.fromEnv(process.env)
  s3 ??= new S3Client({})
  const athena = engine
  const result = await buildStep(event, {
    target: (signal) =>
      new Target(athena, {
        schemaPrefix: e.REVOPS_SCHEMA_PREFIX,
        tableLocation: e.REVOPS_TABLE_LOCATION,
        signal,
      }),
    graph: createGraph(models),
    sources: catalogSources(new S3LakeStore({ client: s3, bucket: e.RAW_BUCKET, prefix: e.RAW_PREFIX })),
    remainingMs: () => context.getRemainingTimeInMillis(),
    settings: {
      batchModels: e.BUILD_BATCH_MODELS,
      reserveMs: e.BUILD_RESERVE_SECONDS * 1000,
      stopMarginMs: e.BUILD_STOP_MARGIN_SECONDS * 1000,
      threads: e.BUILD_THREADS,
    },
    onBatch: (results) => {
      for (const m of results.models) {
        console.log(
          JSON.stringify({
            model: m.model,
            status: m.status,
            action: m.action,
            rows: m.rows,
            seconds: Math.round(m.seconds * 100) / 100,
            bytes_scanned: m.bytesScanned,
            error: m.error,
            failed_tests: m.tests.filter((t) => t.status !== 'pass').map((t) => t.name),
          }),
        )
      }
    },
  })
  const { run } = result
  console.log(
    JSON.stringify({
      build: run.id,
      step: run.invocations,
      done: result.done,
      ok: result.ok,
      remaining: run.remaining.length,
      counts: run.counts,
      failures: run.failures,
    }),
  )
  if (result.done) {
    console.log(
      emfLine({ [ENVIRONMENT_DIMENSION]: PROD_ENVIRONMENT }, [
        { name: BUILD_METRICS.modelsFailed, value: run.failures.length, unit: 'Count' },
        { name: BUILD_METRICS.bytesScanned, value: run.bytesScanned, unit: 'Bytes' },
      ]),
    )
  }
  return result
}
