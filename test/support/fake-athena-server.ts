import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'

/**
 * A loopback Amazon Athena for tests: a real HTTP server speaking the service's JSON 1.1
 * protocol (`POST /`, `X-Amz-Target: AmazonAthena.<Operation>`, `{"__type": …}` errors), so the
 * real `@aws-sdk/client-athena` client talks to it unchanged. Queries are scripted: rows with
 * column types, the states they pass through, how they end, and which calls get throttled.
 */

export type FakeState = 'QUEUED' | 'RUNNING'

export interface FakeColumn {
  readonly name: string
  /** Athena's lower-case type name: `bigint`, `decimal`, `varchar`, `timestamp`, `array`, … */
  readonly type: string
  readonly precision?: number
  readonly scale?: number
}

export interface FakeFailure {
  readonly reason: string
  readonly errorCategory?: number
  readonly errorType?: number
  readonly retryable?: boolean
}

export interface FakeQuery {
  /** Which received QueryString this script answers (substring or pattern). */
  readonly match: string | RegExp
  readonly columns?: readonly FakeColumn[]
  /** Values as Athena's `VarCharValue` texts; `null` is sent as a Datum without a value. */
  readonly rows?: readonly (readonly (string | null)[])[]
  readonly statementType?: 'DML' | 'DDL' | 'UTILITY'
  /** `SELECT` (the default for DML), `INSERT`, `CREATE_TABLE_AS_SELECT`, … */
  readonly substatementType?: string
  /** States reported by successive GetQueryExecution calls before the outcome. */
  readonly states?: readonly FakeState[]
  /** Stay RUNNING until StopQueryExecution arrives. */
  readonly runUntilStopped?: boolean
  /** How successive executions of this query end; the last entry repeats. Default: succeed. */
  readonly outcomes?: readonly ('SUCCEEDED' | FakeFailure)[]
  /** Most rows one GetQueryResults page holds, whatever MaxResults asks (the header counts, as on Athena). */
  readonly pageSize?: number
  readonly statistics?: {
    readonly engineExecutionTimeInMillis?: number
    readonly totalExecutionTimeInMillis?: number
    readonly dataScannedInBytes?: number
  }
}

export interface FakeFault {
  /** The `__type` of the error, e.g. `ThrottlingException`, `TooManyRequestsException`. */
  readonly type: string
  readonly status: number
  readonly message: string
  /** Answer with the error only after doing the work (a response lost on the way back). */
  readonly afterEffect?: boolean
}

export interface RecordedRequest {
  readonly operation: string
  readonly headers: IncomingHttpHeaders
  readonly body: Record<string, unknown>
}

interface Execution {
  readonly id: string
  readonly script: FakeQuery
  readonly request: StartRequest
  readonly outcome: 'SUCCEEDED' | FakeFailure
  readonly submittedAt: number
  polls: number
  state: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED'
}

const startRequest = z.object({
  QueryString: z.string().min(1),
  ClientRequestToken: z.string().min(32).max(128),
  WorkGroup: z.string().optional(),
  QueryExecutionContext: z
    .object({ Database: z.string().optional(), Catalog: z.string().optional() })
    .optional(),
  ResultConfiguration: z.object({ OutputLocation: z.string().optional() }).optional(),
  ExecutionParameters: z.array(z.string()).min(1).optional(),
})
type StartRequest = z.infer<typeof startRequest>
const idRequest = z.object({ QueryExecutionId: z.string().min(1) })
const resultsRequest = idRequest.extend({
  NextToken: z.string().optional(),
  MaxResults: z.number().int().min(1).max(1000).optional(),
})

class FakeError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

export class FakeAthenaServer {
  /** Every request received, throttled ones included, in order. */
  readonly requests: RecordedRequest[] = []
  readonly #scripts: FakeQuery[] = []
  readonly #executions = new Map<string, Execution>()
  readonly #tokens = new Map<string, string>()
  readonly #runs = new Map<FakeQuery, number>()
  readonly #faults = new Map<string, FakeFault[]>()
  readonly #waiters: { operation: string; count: number; resolve: () => void }[] = []
  readonly #server = createServer((req, res) => {
    this.#handle(req, res).catch((error: unknown) => {
      res.statusCode = 500
      res.end(String(error))
    })
  })
  #endpoint = ''

  static async start(): Promise<FakeAthenaServer> {
    const fake = new FakeAthenaServer()
    fake.#server.listen(0, '127.0.0.1')
    await once(fake.#server, 'listening')
    fake.#endpoint = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`
    return fake
  }

  get endpoint(): string {
    return this.#endpoint
  }

  /** Adds a scripted query; later scripts win when several match. */
  script(query: FakeQuery): void {
    this.#scripts.unshift(query)
  }

  /** The next `times` calls of `operation` fail with `fault` (default: a 400 ThrottlingException). */
  fail(operation: string, times: number, fault: Partial<FakeFault> = {}): void {
    const full: FakeFault = { type: 'ThrottlingException', status: 400, message: 'Rate exceeded', ...fault }
    this.#faults.set(operation, [...(this.#faults.get(operation) ?? []), ...Array(times).fill(full)])
  }

  /** Forgets faults not yet served, so one test's leftovers never reach the next. */
  clearFaults(): void {
    this.#faults.clear()
  }

  /** Received requests of one operation. */
  calls(operation: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation)
  }

  /** Query executions created, in order of submission. */
  executions(): { id: string; state: string; queryString: string }[] {
    return [...this.#executions.values()].map((e) => ({
      id: e.id,
      state: e.state,
      queryString: e.request.QueryString,
    }))
  }

  /** Resolves once `count` requests of `operation` have arrived. */
  waitFor(operation: string, count = 1): Promise<void> {
    if (this.calls(operation).length >= count) return Promise.resolve()
    return new Promise((resolve) => this.#waiters.push({ operation, count, resolve }))
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections()
    this.#server.close()
    await once(this.#server, 'close')
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const target = String(req.headers['x-amz-target'] ?? '')
    const operation = target.startsWith('AmazonAthena.') ? target.slice('AmazonAthena.'.length) : target
    let body: Record<string, unknown> = {}
    try {
      const text = Buffer.concat(chunks).toString('utf8')
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {}
    } catch {
      return this.#send(res, 400, { __type: 'SerializationException', message: 'body is not JSON' })
    }
    this.requests.push({ operation, headers: req.headers, body })
    for (const waiter of [...this.#waiters]) {
      if (waiter.operation === operation && this.calls(operation).length >= waiter.count) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1)
        waiter.resolve()
      }
    }
    const fault = this.#faults.get(operation)?.shift()
    try {
      if (req.method !== 'POST' || req.url !== '/')
        throw new FakeError('UnknownOperationException', 404, 'POST / only')
      if (fault && !fault.afterEffect) throw new FakeError(fault.type, fault.status, fault.message)
      const answer = this.#operation(operation, body)
      if (fault) throw new FakeError(fault.type, fault.status, fault.message)
      this.#send(res, 200, answer)
    } catch (error) {
      if (!(error instanceof FakeError)) throw error
      // Athena's own exceptions carry `Message`; AWS-wide ones like ThrottlingException `message`.
      const key =
        error.type.endsWith('Exception') && error.type !== 'ThrottlingException' ? 'Message' : 'message'
      this.#send(res, error.status, { __type: error.type, [key]: error.message, ...error.extra })
    }
  }

  #send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() })
    res.end(JSON.stringify(body))
  }

  #operation(operation: string, body: unknown): unknown {
    switch (operation) {
      case 'StartQueryExecution':
        return this.#start(parse(startRequest, body))
      case 'GetQueryExecution':
        return this.#getExecution(this.#execution(parse(idRequest, body).QueryExecutionId))
      case 'GetQueryResults':
        return this.#getResults(parse(resultsRequest, body))
      case 'StopQueryExecution': {
        const execution = this.#execution(parse(idRequest, body).QueryExecutionId)
        if (execution.state === 'QUEUED' || execution.state === 'RUNNING') execution.state = 'CANCELLED'
        return {}
      }
      default:
        throw new FakeError('UnknownOperationException', 400, `operation ${operation} is not faked`)
    }
  }

  #start(request: StartRequest): unknown {
    // Athena's idempotency: the same token starts nothing new and returns the same id.
    const known = this.#tokens.get(request.ClientRequestToken)
    if (known) {
      if (this.#execution(known).request.QueryString !== request.QueryString)
        throw new FakeError('InvalidRequestException', 400, 'Idempotent parameters do not match')
      return { QueryExecutionId: known }
    }
    const script = this.#scripts.find((s) =>
      typeof s.match === 'string' ? request.QueryString.includes(s.match) : s.match.test(request.QueryString),
    )
    if (!script) {
      throw new FakeError(
        'InvalidRequestException',
        400,
        `no scripted query matches: ${request.QueryString}`,
        {
          AthenaErrorCode: 'INVALID_INPUT',
        },
      )
    }
    const run = this.#runs.get(script) ?? 0
    this.#runs.set(script, run + 1)
    const outcomes = script.outcomes ?? ['SUCCEEDED']
    const id = randomUUID()
    this.#executions.set(id, {
      id,
      script,
      request,
      outcome: outcomes[Math.min(run, outcomes.length - 1)] ?? 'SUCCEEDED',
      submittedAt: Date.now() / 1000,
      polls: 0,
      state: 'QUEUED',
    })
    this.#tokens.set(request.ClientRequestToken, id)
    return { QueryExecutionId: id }
  }

  #getExecution(execution: Execution): unknown {
    const { script } = execution
    if (execution.state === 'QUEUED' || execution.state === 'RUNNING') {
      const states = script.states ?? []
      const poll = execution.polls++
      if (poll < states.length) execution.state = states[poll] as FakeState
      else if (script.runUntilStopped) execution.state = 'RUNNING'
      else execution.state = execution.outcome === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED'
    }
    const failure =
      execution.state === 'FAILED' && execution.outcome !== 'SUCCEEDED' ? execution.outcome : undefined
    const statementType = script.statementType ?? 'DML'
    const stats = script.statistics ?? {}
    return {
      QueryExecution: {
        QueryExecutionId: execution.id,
        Query: execution.request.QueryString,
        StatementType: statementType,
        ...(statementType === 'DML' ? { SubstatementType: script.substatementType ?? 'SELECT' } : {}),
        WorkGroup: execution.request.WorkGroup ?? 'primary',
        QueryExecutionContext: execution.request.QueryExecutionContext ?? {},
        Status: {
          State: execution.state,
          SubmissionDateTime: execution.submittedAt,
          ...(execution.state === 'CANCELLED' ? { StateChangeReason: 'Query cancelled by user' } : {}),
          ...(failure
            ? {
                StateChangeReason: failure.reason,
                AthenaError: {
                  ErrorCategory: failure.errorCategory ?? 2,
                  ErrorType: failure.errorType ?? 1000,
                  Retryable: failure.retryable ?? false,
                  ErrorMessage: failure.reason,
                },
              }
            : {}),
        },
        Statistics: {
          ...(stats.engineExecutionTimeInMillis !== undefined
            ? { EngineExecutionTimeInMillis: stats.engineExecutionTimeInMillis }
            : {}),
          ...(stats.totalExecutionTimeInMillis !== undefined
            ? { TotalExecutionTimeInMillis: stats.totalExecutionTimeInMillis }
            : {}),
          ...(stats.dataScannedInBytes !== undefined ? { DataScannedInBytes: stats.dataScannedInBytes } : {}),
        },
      },
    }
  }

  #getResults(request: z.infer<typeof resultsRequest>): unknown {
    const execution = this.#execution(request.QueryExecutionId)
    if (execution.state !== 'SUCCEEDED') {
      throw new FakeError(
        'InvalidRequestException',
        400,
        `Query has not yet finished. Current state: ${execution.state}`,
      )
    }
    const { script } = execution
    const columns = script.columns ?? []
    const isSelect =
      (script.statementType ?? 'DML') === 'DML' && (script.substatementType ?? 'SELECT') === 'SELECT'
    // Like Athena, the results of a SELECT start with a row of column names.
    const all = [...(isSelect && columns.length ? [columns.map((c) => c.name)] : []), ...(script.rows ?? [])]
    const offset = request.NextToken ? decodeToken(request.NextToken, execution.id) : 0
    const size = Math.min(request.MaxResults ?? 1000, script.pageSize ?? 1000)
    const page = all.slice(offset, offset + size)
    const next = offset + size < all.length ? encodeToken(execution.id, offset + size) : undefined
    return {
      ResultSet: {
        Rows: page.map((values) => ({ Data: values.map((v) => (v === null ? {} : { VarCharValue: v })) })),
        ResultSetMetadata: {
          ColumnInfo: columns.map((c) => ({
            CatalogName: 'hive',
            SchemaName: '',
            TableName: '',
            Name: c.name,
            Label: c.name,
            Type: c.type,
            Precision: c.precision ?? 0,
            Scale: c.scale ?? 0,
            Nullable: 'UNKNOWN',
            CaseSensitive: c.type === 'varchar',
          })),
        },
      },
      ...(isSelect ? {} : { UpdateCount: script.rows?.length ?? 0 }),
      ...(next ? { NextToken: next } : {}),
    }
  }

  #execution(id: string): Execution {
    const execution = this.#executions.get(id)
    if (!execution) throw new FakeError('InvalidRequestException', 400, `QueryExecution ${id} was not found`)
    return execution
  }
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body)
  if (!result.success) throw new FakeError('InvalidRequestException', 400, result.error.message)
  return result.data
}

function encodeToken(id: string, offset: number): string {
  return Buffer.from(JSON.stringify([id, offset])).toString('base64')
}

function decodeToken(token: string, id: string): number {
  const [tokenId, offset] = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as [string, number]
  if (tokenId !== id)
    throw new FakeError('InvalidRequestException', 400, 'NextToken belongs to another query')
  return offset
}
