import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena'
import { z } from 'zod'
import { parseEnv } from '../config/env.js'
import { oneLine, UserError } from '../errors.js'
import { AthenaDialect } from '../sql/athena/athena-dialect.js'
import { AthenaResultSet } from './athena-result-set.js'
import {
  isThrottlingError,
  isTransientApiError,
  isTransientQueryFailure,
  retryDelayMs,
} from './athena-retry.js'
import {
  describeSql,
  type Engine,
  type QueryResult,
  type Row,
  type RunOptions,
  type SqlValue,
} from './engine.js'

const s3Uri = z.string().regex(/^s3:\/\/[^/]+/, 'must be an s3:// URI')

export const athenaEngineOptionsSchema = z.object({
  workgroup: z.string().min(1),
  /** The data catalog queries run in (Glue: `AwsDataCatalog`). */
  catalog: z.string().min(1).default('AwsDataCatalog'),
  /** The database (Glue database = schema) unqualified names resolve in. */
  database: z.string().min(1).default('default'),
  /** Where Athena writes results; optional because a workgroup may enforce its own. */
  outputLocation: s3Uri.optional(),
  region: z.string().min(1),
  /** Another Athena endpoint (a loopback server in tests, a VPC endpoint in production). */
  endpoint: z.url().optional(),
  /** Static credentials; without them the SDK's default chain (env, profile, role) applies. */
  credentials: z
    .object({
      accessKeyId: z.string().min(1),
      secretAccessKey: z.string().min(1),
      sessionToken: z.string().min(1).optional(),
    })
    .optional(),
  /** GetQueryExecution polling: first wait, doubled after each poll up to the cap. */
  poll: z
    .object({
      initialMs: z.number().int().min(0).default(250),
      maxMs: z.number().int().min(0).default(5_000),
    })
    .prefault({}),
  /** Retries of throttled/transient API calls, and resubmissions of transiently failed queries. */
  maxRetries: z.number().int().min(0).max(20).default(5),
  /** Backoff between those retries: exponential from the base, capped, jittered. */
  retryDelay: z
    .object({
      baseMs: z.number().int().min(0).default(500),
      maxMs: z.number().int().min(0).default(20_000),
    })
    .prefault({}),
  /** Rows per GetQueryResults call (Athena's maximum is 1000). */
  pageSize: z.number().int().min(1).max(1000).default(1000),
})

export type AthenaEngineOptions = z.input<typeof athenaEngineOptionsSchema>
export type AthenaEngineSettings = z.infer<typeof athenaEngineOptionsSchema>

const athenaEnvSchema = z.object({
  REVOPS_ATHENA_WORKGROUP: z.string().min(1),
  REVOPS_ATHENA_DATABASE: z.string().min(1).optional(),
  REVOPS_ATHENA_CATALOG: z.string().min(1).optional(),
  REVOPS_ATHENA_OUTPUT: s3Uri.optional(),
  REVOPS_ATHENA_ENDPOINT: z.url().optional(),
  REVOPS_ATHENA_MAX_RETRIES: z.coerce.number().int().min(0).max(20).optional(),
  AWS_REGION: z.string().min(1),
})

type Operation = 'StartQueryExecution' | 'GetQueryExecution' | 'GetQueryResults' | 'StopQueryExecution'

const FINISHED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED'])

/**
 * Amazon Athena through the AWS SDK: start, poll, page through results. Retries are decided
 * here, not in the SDK (its own retries are off so attempts never multiply): API calls retry on
 * throttling and 5xx, queries are resubmitted only for failures known to be transient.
 */
export class AthenaEngine implements Engine {
  readonly dialect = new AthenaDialect()
  readonly settings: AthenaEngineSettings
  readonly #client: AthenaClient

  constructor(options: AthenaEngineOptions) {
    const parsed = athenaEngineOptionsSchema.safeParse(options)
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`)
      throw new UserError(`invalid Athena engine options: ${problems.join('; ')}`)
    }
    this.settings = parsed.data
    const { region, endpoint, credentials } = this.settings
    this.#client = new AthenaClient({
      region,
      ...(endpoint ? { endpoint } : {}),
      ...(credentials ? { credentials } : {}),
      maxAttempts: 1,
    })
  }

  /** From REVOPS_ATHENA_WORKGROUP, REVOPS_ATHENA_DATABASE, REVOPS_ATHENA_OUTPUT, AWS_REGION, … */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): AthenaEngine {
    const vars = parseEnv(athenaEnvSchema, env)
    return new AthenaEngine({
      workgroup: vars.REVOPS_ATHENA_WORKGROUP,
      region: vars.AWS_REGION,
      ...(vars.REVOPS_ATHENA_DATABASE ? { database: vars.REVOPS_ATHENA_DATABASE } : {}),
      ...(vars.REVOPS_ATHENA_CATALOG ? { catalog: vars.REVOPS_ATHENA_CATALOG } : {}),
      ...(vars.REVOPS_ATHENA_OUTPUT ? { outputLocation: vars.REVOPS_ATHENA_OUTPUT } : {}),
      ...(vars.REVOPS_ATHENA_ENDPOINT ? { endpoint: vars.REVOPS_ATHENA_ENDPOINT } : {}),
      ...(vars.REVOPS_ATHENA_MAX_RETRIES !== undefined ? { maxRetries: vars.REVOPS_ATHENA_MAX_RETRIES } : {}),
    })
  }

  async run<R = Row>(
    sql: string,
    params: readonly SqlValue[] = [],
    options: RunOptions = {},
  ): Promise<QueryResult<R>> {
    const what = options.label ?? describeSql(sql)
    const { signal } = options
    // Athena execution parameters are SQL literals, spliced by Athena at the `?` placeholders.
    const executionParameters = params.map((value) => this.dialect.literal(value))
    // One id per run: every API retry of a submission reuses its token (Athena starts it once),
    // while a resubmission after a transient failure, or a later run, starts a new query.
    const runId = randomUUID()
    const startedAt = performance.now()
    let queryId: string | undefined
    let finished = false
    try {
      for (let submission = 0; ; submission++) {
        signal?.throwIfAborted()
        finished = false
        queryId = undefined
        const started = await this.#call('StartQueryExecution', what, undefined, () =>
          this.#client.send(
            new StartQueryExecutionCommand({
              QueryString: sql,
              ClientRequestToken: `${runId}-${submission}`,
              WorkGroup: this.settings.workgroup,
              QueryExecutionContext: { Catalog: this.settings.catalog, Database: this.settings.database },
              ...(this.settings.outputLocation
                ? { ResultConfiguration: { OutputLocation: this.settings.outputLocation } }
                : {}),
              ...(executionParameters.length ? { ExecutionParameters: executionParameters } : {}),
            }),
          ),
        )
        queryId = started.QueryExecutionId
        if (!queryId) throw new Error('Athena StartQueryExecution returned no QueryExecutionId')
        const execution = await this.#waitUntilFinished(queryId, what, signal)
        finished = true
        const state = execution.Status?.State
        if (state === 'SUCCEEDED') return await this.#results<R>(execution, queryId, what, signal, startedAt)
        const reason = oneLine(
          execution.Status?.StateChangeReason ??
            execution.Status?.AthenaError?.ErrorMessage ??
            'no reason given',
        )
        if (state === 'CANCELLED') throw new UserError(`query ${what} was cancelled on Athena: ${reason}`)
        if (isTransientQueryFailure(execution.Status) && submission < this.settings.maxRetries) {
          await sleep(retryDelayMs(submission, this.settings.retryDelay), undefined, { signal })
          continue
        }
        const tries = submission > 0 ? ` (after ${submission + 1} attempts)` : ''
        throw new UserError(`query ${what} failed on Athena${tries}: ${reason}`, {
          hint: `Athena query id ${queryId}`,
        })
      }
    } catch (error) {
      // A query left running would go on costing money: stop it whenever this run gives up on it.
      const stopped = queryId && !finished ? await this.#stop(queryId, what) : undefined
      if (!signal?.aborted) throw error
      throw new UserError(`query ${what} was cancelled`, { ...(stopped ? { hint: stopped } : {}) })
    }
  }

  async close(): Promise<void> {
    this.#client.destroy()
  }

  async #waitUntilFinished(queryId: string, what: string, signal?: AbortSignal): Promise<QueryExecution> {
    const { initialMs, maxMs } = this.settings.poll
    for (let poll = 0; ; poll++) {
      await sleep(Math.min(maxMs, initialMs * 2 ** Math.min(poll, 30)), undefined, { signal })
      const { QueryExecution: execution } = await this.#call('GetQueryExecution', what, signal, () =>
        this.#client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId }), {
          abortSignal: signal,
        }),
      )
      if (execution?.Status?.State && FINISHED.has(execution.Status.State)) return execution
    }
  }

  async #results<R>(
    execution: QueryExecution,
    queryId: string,
    what: string,
    signal: AbortSignal | undefined,
    startedAt: number,
  ): Promise<QueryResult<R>> {
    const isSelect =
      execution.StatementType === 'DML' && (execution.SubstatementType ?? 'SELECT') === 'SELECT'
    const results = new AthenaResultSet(isSelect)
    let nextToken: string | undefined
    do {
      const page = await this.#call('GetQueryResults', what, signal, () =>
        this.#client.send(
          new GetQueryResultsCommand({
            QueryExecutionId: queryId,
            MaxResults: this.settings.pageSize,
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
          { abortSignal: signal },
        ),
      )
      results.add(page.ResultSet)
      nextToken = page.NextToken
    } while (nextToken)
    const statistics = execution.Statistics
    return {
      rows: results.rows as R[],
      columns: results.columns,
      stats: {
        elapsedMs:
          statistics?.TotalExecutionTimeInMillis ??
          statistics?.EngineExecutionTimeInMillis ??
          performance.now() - startedAt,
        ...(statistics?.DataScannedInBytes !== undefined
          ? { bytesScanned: statistics.DataScannedInBytes }
          : {}),
        queryId,
      },
    }
  }

  /** Best effort: the run ends either way; a failed stop is reported as a hint. */
  async #stop(queryId: string, what: string): Promise<string | undefined> {
    try {
      await this.#call('StopQueryExecution', what, undefined, () =>
        this.#client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryId })),
      )
      return undefined
    } catch (error) {
      return `Athena query ${queryId} may still be running: ${oneLine(error)}`
    }
  }

  /** One API call under this engine's retry policy; the SDK itself makes a single attempt. */
  async #call<T>(
    operation: Operation,
    what: string,
    signal: AbortSignal | undefined,
    send: () => Promise<T>,
  ) {
    for (let retry = 0; ; retry++) {
      try {
        return await send()
      } catch (error) {
        if (signal?.aborted) throw error
        if (!isTransientApiError(error) || retry >= this.settings.maxRetries) {
          throw apiError(operation, what, error, retry)
        }
        await sleep(retryDelayMs(retry, this.settings.retryDelay), undefined, { signal })
      }
    }
  }
}

function apiError(operation: Operation, what: string, error: unknown, retries: number): Error {
  const name = error instanceof Error ? error.name : 'Error'
  const detail = `${name}: ${oneLine(error)}`
  if (isThrottlingError(error)) {
    return new UserError(
      `query ${what}: Athena ${operation} was throttled ${retries + 1} times (${detail})`,
      {
        hint: 'run fewer queries at once, or raise the Athena quota of the account',
        cause: error,
      },
    )
  }
  const tries = retries > 0 ? ` after ${retries + 1} attempts` : ''
  return new UserError(`query ${what}: Athena ${operation} failed${tries} (${detail})`, { cause: error })
}
