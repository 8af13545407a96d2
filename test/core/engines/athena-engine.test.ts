import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { AthenaEngine, type AthenaEngineOptions } from '../../../core/engines/athena-engine.js'
import { UserError } from '../../../core/errors.js'
import { FakeAthenaServer } from '../../support/fake-athena-server.js'

// The real AWS SDK client talks HTTP to a loopback Athena; nothing in the SDK is replaced.
let fake: FakeAthenaServer
const engines: AthenaEngine[] = []

beforeAll(async () => {
  fake = await FakeAthenaServer.start()
})
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close()
  fake.clearFaults()
  vi.unstubAllEnvs()
})
afterAll(async () => {
  await fake.stop()
})

function engine(options: Partial<AthenaEngineOptions> = {}): AthenaEngine {
  const created = new AthenaEngine({
    workgroup: 'revops',
    database: 'marts',
    outputLocation: 's3://results-bucket/athena/',
    region: 'eu-west-1',
    endpoint: fake.endpoint,
    credentials: { accessKeyId: 'AKIDFAKEATHENA', secretAccessKey: 'fake-secret' },
    poll: { initialMs: 1, maxMs: 5 },
    retryDelay: { baseMs: 1, maxMs: 5 },
    ...options,
  })
  engines.push(created)
  return created
}

/** Requests the fake received for one query, found by a unique marker in its SQL. */
function startsOf(marker: string) {
  return fake.calls('StartQueryExecution').filter((r) => String(r.body.QueryString).includes(marker))
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the promise to reject')
}

describe('AthenaEngine against a loopback Athena', () => {
  it('pages through results, skips the header row once and types every column', async () => {
    fake.script({
      match: '/* typed */',
      pageSize: 2,
      states: ['QUEUED', 'RUNNING', 'RUNNING'],
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'big', type: 'bigint' },
        { name: 'amount', type: 'decimal', precision: 18, scale: 2 },
        { name: 'ratio', type: 'double' },
        { name: 'won', type: 'boolean' },
        { name: 'close_date', type: 'date' },
        { name: 'updated_at', type: 'timestamp' },
        { name: 'name', type: 'varchar' },
        { name: 'tags', type: 'array' },
      ],
      rows: [
        [
          '1',
          '9007199254740993',
          '1200.50',
          '0.25',
          'true',
          '2024-01-31',
          '2024-01-31 10:00:00.000',
          'Acme',
          '[a, b]',
        ],
        ['2', '42', '-3.10', 'NaN', 'false', '2024-02-29', '2024-02-29 23:59:59.5', '', '[]'],
        ['3', null, null, null, null, null, null, null, null],
        // A value row that spells the column names is data, not another header.
        ['4', '0', '0', '0', 'false', '2024-03-01', '2024-03-01 00:00:00.000', 'name', '[]'],
      ],
    })
    const result = await engine({ pageSize: 2 }).run('SELECT * FROM deals /* typed */')

    expect(result.columns).toEqual([
      { name: 'id', type: 'INTEGER' },
      { name: 'big', type: 'BIGINT' },
      { name: 'amount', type: 'DECIMAL(18,2)' },
      { name: 'ratio', type: 'DOUBLE' },
      { name: 'won', type: 'BOOLEAN' },
      { name: 'close_date', type: 'DATE' },
      { name: 'updated_at', type: 'TIMESTAMP' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'tags', type: 'ARRAY' },
    ])
    expect(result.rows).toEqual([
      {
        id: 1,
        big: 9007199254740993n,
        amount: 1200.5,
        ratio: 0.25,
        won: true,
        close_date: '2024-01-31',
        updated_at: '2024-01-31T10:00:00.000Z',
        name: 'Acme',
        tags: '[a, b]',
      },
      {
        id: 2,
        big: 42,
        amount: -3.1,
        ratio: Number.NaN,
        won: false,
        close_date: '2024-02-29',
        updated_at: '2024-02-29T23:59:59.500Z',
        name: '',
        tags: '[]',
      },
      {
        id: 3,
        big: null,
        amount: null,
        ratio: null,
        won: null,
        close_date: null,
        updated_at: null,
        name: null,
        tags: null,
      },
      {
        id: 4,
        big: 0,
        amount: 0,
        ratio: 0,
        won: false,
        close_date: '2024-03-01',
        updated_at: '2024-03-01T00:00:00.000Z',
        name: 'name',
        tags: '[]',
      },
    ])
    // Header + 4 rows at 2 per page: three pages, each asked with the engine's page size.
    const id = result.stats.queryId
    const pages = fake.calls('GetQueryResults').filter((r) => r.body.QueryExecutionId === id)
    expect(pages.map((r) => [r.body.MaxResults, r.body.NextToken === undefined])).toEqual([
      [2, true],
      [2, false],
      [2, false],
    ])
  })

  it('keeps a data row that repeats the header when it comes on a later page', async () => {
    fake.script({
      match: '/* header-like */',
      pageSize: 2,
      columns: [{ name: 'stage', type: 'varchar' }],
      rows: [['stage'], ['stage'], ['won']],
    })
    const result = await engine().run('SELECT stage FROM s /* header-like */')
    expect(result.rows).toEqual([{ stage: 'stage' }, { stage: 'stage' }, { stage: 'won' }])
  })

  it('keeps the first row of DML and DDL results, which have no header row', async () => {
    fake.script({
      match: 'INSERT INTO',
      statementType: 'DML',
      substatementType: 'INSERT',
      columns: [{ name: 'rows', type: 'bigint' }],
      rows: [['3']],
    })
    fake.script({ match: 'CREATE SCHEMA', statementType: 'DDL' })
    const athena = engine()
    expect((await athena.run('INSERT INTO t SELECT * FROM s')).rows).toEqual([{ rows: 3 }])
    const ddl = await athena.run('CREATE SCHEMA IF NOT EXISTS "marts"')
    expect(ddl.rows).toEqual([])
    expect(ddl.columns).toEqual([])
  })

  it('converts TIMESTAMP WITH TIME ZONE in UTC or at an offset to ISO UTC', async () => {
    fake.script({
      match: '/* zoned */',
      columns: [{ name: 'at', type: 'timestamp with time zone' }],
      rows: [
        ['2024-01-31 10:00:00.000 UTC'],
        ['2024-01-31 10:00:00.000 +02:00'],
        ['2024-01-31 10:00:00.000 Europe/Paris'],
      ],
    })
    const result = await engine().run('SELECT at FROM t /* zoned */')
    expect(result.rows).toEqual([
      { at: '2024-01-31T10:00:00.000Z' },
      { at: '2024-01-31T08:00:00.000Z' },
      { at: '2024-01-31 10:00:00.000 Europe/Paris' },
    ])
  })

  it('sends the workgroup, catalog, database, output location and params as SQL literals', async () => {
    fake.script({ match: '/* params */', columns: [{ name: 'n', type: 'bigint' }], rows: [['1']] })
    await engine({ catalog: 'lakehouse' }).run(
      'SELECT count(*) AS n FROM deals WHERE owner = ? AND stage_id = ? AND p = ? AND won = ? AND x = ? AND big = ? /* params */',
      ["O'Brien", 42, 0.5, true, null, 2n ** 60n],
    )
    const [start] = startsOf('/* params */')
    expect(start?.body).toMatchObject({
      WorkGroup: 'revops',
      QueryExecutionContext: { Catalog: 'lakehouse', Database: 'marts' },
      ResultConfiguration: { OutputLocation: 's3://results-bucket/athena/' },
      ExecutionParameters: ["'O''Brien'", '42', 'CAST(0.5 AS DOUBLE)', 'TRUE', 'NULL', '1152921504606846976'],
    })
    // Without params the field is absent: Athena rejects an empty list.
    fake.script({ match: '/* no params */', columns: [{ name: 'n', type: 'bigint' }], rows: [['1']] })
    await engine().run('SELECT 1 AS n /* no params */')
    expect(startsOf('/* no params */')[0]?.body).not.toHaveProperty('ExecutionParameters')
  })

  it('is the real SDK client speaking JSON 1.1 over HTTP, signed, with its own retries off', async () => {
    fake.script({ match: '/* wire */', columns: [{ name: 'n', type: 'integer' }], rows: [['1']] })
    await engine().run('SELECT 1 AS n /* wire */')
    const [start] = startsOf('/* wire */')
    expect(start?.headers['x-amz-target']).toBe('AmazonAthena.StartQueryExecution')
    expect(start?.headers['content-type']).toBe('application/x-amz-json-1.1')
    expect(start?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDFAKEATHENA\/\d{8}\/eu-west-1\/athena\/aws4_request/,
    )
    expect(start?.headers['user-agent']).toMatch(/aws-sdk-js/)
    // Every request is the SDK's first and last attempt: the engine alone decides on retries.
    expect(start?.headers['amz-sdk-request']).toBe('attempt=1; max=1')
  })

  it('reports stats: Athena execution time, bytes scanned and the query id', async () => {
    fake.script({
      match: '/* stats */',
      columns: [{ name: 'n', type: 'integer' }],
      rows: [['1']],
      statistics: {
        engineExecutionTimeInMillis: 812,
        totalExecutionTimeInMillis: 1234,
        dataScannedInBytes: 10_485_760,
      },
    })
    const { stats } = await engine().run('SELECT 1 AS n /* stats */')
    const execution = fake.executions().find((e) => e.queryString.includes('/* stats */'))
    expect(stats).toEqual({ elapsedMs: 1234, bytesScanned: 10_485_760, queryId: execution?.id })

    fake.script({
      match: '/* engine time */',
      columns: [{ name: 'n', type: 'integer' }],
      rows: [['1']],
      statistics: { engineExecutionTimeInMillis: 812 },
    })
    expect((await engine().run('SELECT 1 AS n /* engine time */')).stats.elapsedMs).toBe(812)
  })

  it('retries throttled API calls with the same ClientRequestToken and starts the query once', async () => {
    fake.script({ match: '/* throttled */', columns: [{ name: 'n', type: 'integer' }], rows: [['7']] })
    fake.fail('StartQueryExecution', 2)
    fake.fail('GetQueryExecution', 1, { type: 'TooManyRequestsException', message: 'Rate exceeded' })
    fake.fail('GetQueryResults', 1, { type: 'InternalServerException', status: 500, message: 'oops' })
    const result = await engine().run('SELECT 7 AS n /* throttled */')
    expect(result.rows).toEqual([{ n: 7 }])
    const starts = startsOf('/* throttled */')
    expect(starts).toHaveLength(3)
    expect(new Set(starts.map((s) => s.body.ClientRequestToken)).size).toBe(1)
    expect(fake.executions().filter((e) => e.queryString.includes('/* throttled */'))).toHaveLength(1)
  })

  it('keeps a retried Start idempotent when the first answer was lost after the query started', async () => {
    fake.script({ match: '/* lost answer */', columns: [{ name: 'n', type: 'integer' }], rows: [['1']] })
    fake.fail('StartQueryExecution', 1, { type: 'InternalServerException', status: 500, afterEffect: true })
    await engine().run('SELECT 1 AS n /* lost answer */')
    expect(startsOf('/* lost answer */')).toHaveLength(2)
    expect(fake.executions().filter((e) => e.queryString.includes('/* lost answer */'))).toHaveLength(1)
  })

  it('gives up after maxRetries throttled attempts, without the SDK adding its own', async () => {
    fake.script({ match: '/* always throttled */', columns: [{ name: 'n', type: 'integer' }], rows: [['1']] })
    // Exactly as many faults as the engine's attempts: an SDK retry would get through and succeed.
    fake.fail('StartQueryExecution', 3, { type: 'TooManyRequestsException' })
    const error = await rejection(
      engine({ maxRetries: 2 }).run('SELECT 1 /* always throttled */', [], { label: 'arr' }),
    )
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toMatch(/^query arr: Athena StartQueryExecution was throttled 3 times/)
    expect((error as UserError).hint).toMatch(/fewer queries at once/)
    expect(startsOf('/* always throttled */')).toHaveLength(3)
  })

  it('does not retry an API error that is not transient', async () => {
    const error = await rejection(engine().run('SELECT 1 /* unscripted */', [], { label: 'mrr_by_month' }))
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toMatch(
      /^query mrr_by_month: Athena StartQueryExecution failed \(InvalidRequestException: no scripted query matches/,
    )
    expect(startsOf('/* unscripted */')).toHaveLength(1)
  })

  it('fails a FAILED query with one line naming the label and Athena reason, without retrying', async () => {
    fake.script({
      match: '/* bad column */',
      states: ['RUNNING'],
      outcomes: [
        {
          reason: "COLUMN_NOT_FOUND: line 1:8: Column 'amont' cannot be resolved\nor requested",
          errorCategory: 2,
          errorType: 1006,
        },
      ],
    })
    const error = await rejection(
      engine().run('SELECT amont FROM deals /* bad column */', [], { label: 'arr' }),
    )
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toBe(
      "query arr failed on Athena: COLUMN_NOT_FOUND: line 1:8: Column 'amont' cannot be resolved",
    )
    expect((error as UserError).hint).toMatch(/^Athena query id [0-9a-f-]{36}$/)
    expect(startsOf('/* bad column */')).toHaveLength(1)
  })

  it('names the statement when no label is given', async () => {
    fake.script({ match: '/* unlabelled */', outcomes: [{ reason: 'SYNTAX_ERROR: line 1:1: nope' }] })
    const error = await rejection(engine().run('SELEC 1 /* unlabelled */'))
    expect(error.message).toBe(
      'query "SELEC 1 /* unlabelled */" failed on Athena: SYNTAX_ERROR: line 1:1: nope',
    )
  })

  it('does not resubmit a query that exhausted resources, even when flagged retryable', async () => {
    fake.script({
      match: '/* exhausted */',
      outcomes: [
        {
          reason: 'Query exhausted resources at this scale factor',
          errorCategory: 1,
          errorType: 3,
          retryable: true,
        },
      ],
    })
    const error = await rejection(engine().run('SELECT * FROM huge /* exhausted */'))
    expect(error.message).toMatch(/failed on Athena: Query exhausted resources at this scale factor$/)
    expect(startsOf('/* exhausted */')).toHaveLength(1)
  })

  it('resubmits a transiently failed query as a new execution and returns its rows', async () => {
    fake.script({
      match: '/* iceberg commit */',
      columns: [{ name: 'n', type: 'integer' }],
      rows: [['5']],
      outcomes: [
        {
          reason: 'ICEBERG_COMMIT_ERROR: Failed to commit Iceberg update to table: marts.fct_mrr',
          errorCategory: 2,
        },
        {
          reason:
            'HIVE_CURSOR_ERROR: Please reduce your request rate. (Service: Amazon S3; Status Code: 503; Error Code: SlowDown)',
        },
        'SUCCEEDED',
      ],
    })
    const result = await engine().run('INSERT INTO fct_mrr SELECT 5 /* iceberg commit */')
    expect(result.rows).toEqual([{ n: 5 }])
    const starts = startsOf('/* iceberg commit */')
    expect(starts).toHaveLength(3)
    // Each resubmission is a new query, so it carries a new token.
    expect(new Set(starts.map((s) => s.body.ClientRequestToken)).size).toBe(3)
    const executions = fake.executions().filter((e) => e.queryString.includes('/* iceberg commit */'))
    expect(executions.map((e) => e.state)).toEqual(['FAILED', 'FAILED', 'SUCCEEDED'])
    expect(result.stats.queryId).toBe(executions[2]?.id)
  })

  it("trusts Athena's Retryable flag, and stops resubmitting after maxRetries", async () => {
    fake.script({
      match: '/* flaky */',
      outcomes: [
        {
          reason: 'Amazon Athena experienced an internal error',
          errorCategory: 1,
          errorType: 200,
          retryable: true,
        },
      ],
    })
    const error = await rejection(
      engine({ maxRetries: 2 }).run('SELECT 1 /* flaky */', [], { label: 'pipeline' }),
    )
    expect(error.message).toBe(
      'query pipeline failed on Athena (after 3 attempts): Amazon Athena experienced an internal error',
    )
    expect(startsOf('/* flaky */')).toHaveLength(3)
  })

  it('cancels: stops the running query on Athena and says it was cancelled', async () => {
    fake.script({ match: '/* long */', runUntilStopped: true })
    const controller = new AbortController()
    const polled = fake.calls('GetQueryExecution').length
    const running = engine().run('SELECT * FROM everything /* long */', [], {
      label: 'slow_model',
      signal: controller.signal,
    })
    await fake.waitFor('GetQueryExecution', polled + 2)
    controller.abort()
    const error = await rejection(running)
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toBe('query slow_model was cancelled')
    const execution = fake.executions().find((e) => e.queryString.includes('/* long */'))
    expect(fake.calls('StopQueryExecution').map((r) => r.body.QueryExecutionId)).toContain(execution?.id)
    expect(execution?.state).toBe('CANCELLED')
  })

  it('does not start anything when the signal is already aborted', async () => {
    const error = await rejection(
      engine().run('SELECT 1 /* pre-aborted */', [], { signal: AbortSignal.abort(), label: 'x' }),
    )
    expect(error.message).toBe('query x was cancelled')
    expect(startsOf('/* pre-aborted */')).toHaveLength(0)
  })

  it('reports a query cancelled by someone else on Athena', async () => {
    fake.script({ match: '/* stopped elsewhere */', runUntilStopped: true })
    const athena = engine()
    const polled = fake.calls('GetQueryExecution').length
    const running = athena.run('SELECT 1 /* stopped elsewhere */', [], { label: 'm' })
    await fake.waitFor('GetQueryExecution', polled + 1)
    const execution = fake.executions().find((e) => e.queryString.includes('/* stopped elsewhere */'))
    // Another client stops it, over the same protocol.
    const other = await fetch(fake.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonAthena.StopQueryExecution' },
      body: JSON.stringify({ QueryExecutionId: execution?.id }),
    })
    expect(other.status).toBe(200)
    const error = await rejection(running)
    expect(error.message).toBe('query m was cancelled on Athena: Query cancelled by user')
  })
})

describe('AthenaEngine configuration', () => {
  it('validates options with a one-line error naming the field', () => {
    expect(() => new AthenaEngine({ workgroup: '', region: 'eu-west-1' })).toThrow(
      /^invalid Athena engine options: workgroup: /,
    )
    expect(() => new AthenaEngine({ workgroup: 'w', region: 'eu-west-1', outputLocation: '/tmp' })).toThrow(
      /outputLocation: must be an s3:\/\/ URI/,
    )
  })

  it('fills defaults: AwsDataCatalog, the default database, five retries', () => {
    const athena = new AthenaEngine({ workgroup: 'w', region: 'eu-west-1' })
    engines.push(athena)
    expect(athena.settings).toMatchObject({ catalog: 'AwsDataCatalog', database: 'default', maxRetries: 5 })
    expect(athena.settings.poll).toEqual({ initialMs: 250, maxMs: 5000 })
  })

  it('names every missing or bad variable when built from the environment', () => {
    expect(() => AthenaEngine.fromEnv({ REVOPS_ATHENA_OUTPUT: 'bucket' })).toThrow(
      /^invalid environment: REVOPS_ATHENA_WORKGROUP: .*; REVOPS_ATHENA_OUTPUT: must be an s3:\/\/ URI; AWS_REGION: /,
    )
  })

  it('runs a query with settings and credentials taken from the environment', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDFROMENV')
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'env-secret')
    const athena = AthenaEngine.fromEnv({
      REVOPS_ATHENA_WORKGROUP: 'etl',
      REVOPS_ATHENA_DATABASE: 'staging',
      REVOPS_ATHENA_OUTPUT: 's3://results/env/',
      REVOPS_ATHENA_ENDPOINT: fake.endpoint,
      REVOPS_ATHENA_MAX_RETRIES: '1',
      AWS_REGION: 'us-east-2',
    })
    engines.push(athena)
    expect(athena.settings.maxRetries).toBe(1)
    fake.script({ match: '/* from env */', columns: [{ name: 'n', type: 'integer' }], rows: [['1']] })
    const result = await athena.run('SELECT 1 AS n /* from env */')
    expect(result.rows).toEqual([{ n: 1 }])
    const [start] = startsOf('/* from env */')
    expect(start?.body).toMatchObject({
      WorkGroup: 'etl',
      QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: 'staging' },
      ResultConfiguration: { OutputLocation: 's3://results/env/' },
    })
    expect(start?.headers.authorization).toMatch(/Credential=AKIDFROMENV\/\d{8}\/us-east-2\/athena\//)
  })
})
