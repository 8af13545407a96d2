import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckDbEngine } from '../../../core/engines/duckdb-engine.js'
import type { SqlValue } from '../../../core/engines/engine.js'
import { UserError } from '../../../core/errors.js'

// Runs long enough (minutes) that only a working interrupt lets the cancellation tests finish.
const SLOW = 'SELECT sum(a.range * b.range) AS s FROM range(200000) AS a, range(200000) AS b'

const dir = mkdtempSync(join(tmpdir(), 'revops-duckdb-'))
let engine: DuckDbEngine

beforeAll(async () => {
  engine = await DuckDbEngine.open({ path: ':memory:' })
})
afterAll(async () => {
  await engine.close()
  rmSync(dir, { recursive: true, force: true })
})

function eventLoopTurns(n: number): Promise<void> {
  return new Promise((resolve) => {
    const next = (left: number) => (left === 0 ? resolve() : setImmediate(() => next(left - 1)))
    next(n)
  })
}

async function one(expression: string): Promise<{ value: SqlValue | undefined; type: string | undefined }> {
  const result = await engine.run(`SELECT ${expression} AS v`)
  return { value: result.rows[0]?.v, type: result.columns[0]?.type }
}

describe('values', () => {
  it.each([
    ['INTEGER', '42::INTEGER', 42],
    ['BIGINT', '-42::BIGINT', -42],
    ['BIGINT at 2^53 - 1', '9007199254740991::BIGINT', 9007199254740991],
    ['BIGINT beyond 2^53', '9007199254740993::BIGINT', 9007199254740993n],
    ['HUGEINT', '7::HUGEINT', 7],
    ['HUGEINT beyond 2^53', '(2::HUGEINT ** 100)::HUGEINT', 2n ** 100n],
    ['HUGEINT below -2^53', '-9007199254740993::HUGEINT', -9007199254740993n],
    ['DECIMAL(18,2)', '1234.56::DECIMAL(18,2)', 1234.56],
    ['DECIMAL(38,10)', '-0.0000000001::DECIMAL(38,10)', -1e-10],
    ['DOUBLE', '0.1::DOUBLE', 0.1],
    ['FLOAT', '1.5::FLOAT', 1.5],
    ['DATE', "DATE '2024-02-29'", '2024-02-29'],
    ['DATE before 1970', "DATE '1900-03-01'", '1900-03-01'],
    ['DATE infinity', "'infinity'::DATE", 'infinity'],
    ['TIMESTAMP', "TIMESTAMP '2024-01-31 10:00:00.123456'", '2024-01-31T10:00:00.123Z'],
    [
      'TIMESTAMP before 1970, rounded down',
      "TIMESTAMP '1969-12-31 23:59:59.999999'",
      '1969-12-31T23:59:59.999Z',
    ],
    ['TIMESTAMP -infinity', "'-infinity'::TIMESTAMP", '-infinity'],
    ['TIMESTAMPTZ', "TIMESTAMPTZ '2024-01-31 10:00:00+01:00'", '2024-01-31T09:00:00.000Z'],
    ['TIMESTAMP_NS', "TIMESTAMP_NS '2024-01-31 10:00:00.123456789'", '2024-01-31T10:00:00.123Z'],
    ['TIMESTAMP_S', "TIMESTAMP_S '2024-01-31 10:00:01'", '2024-01-31T10:00:01.000Z'],
    ['BOOLEAN', 'true', true],
    ['VARCHAR', `'o''brien – ünï'`, "o'brien – ünï"],
    ['NULL', 'NULL', null],
    ['a NULL INTEGER', 'CAST(NULL AS INTEGER)', null],
    ['LIST', '[1, 2, NULL]', '[1,2,null]'],
    ['LIST of BIGINT beyond 2^53', '[9007199254740993]::BIGINT[]', '[9007199254740993]'],
    ['LIST of DATE', "[DATE '2024-01-01']", '["2024-01-01"]'],
    [
      'STRUCT',
      "{'a': 1, 'b': ['x'], 'c': {'d': TIMESTAMP '2024-01-01 10:00:00'}}",
      '{"a":1,"b":["x"],"c":{"d":"2024-01-01T10:00:00.000Z"}}',
    ],
    ['MAP', "MAP {'k': 1.5::DECIMAL(4,1)}", '{"k":1.5}'],
  ] as const)('%s', async (_, expression, expected) => {
    expect((await one(expression)).value).toEqual(expected)
  })

  it('reports DuckDB type names, keeping STRUCT field names as written', async () => {
    const result = await engine.run(
      "SELECT 1::BIGINT AS b, 1.5::DECIMAL(18,2) AS d, 'x' AS s, {'fieldName': 1} AS st, sum(1) AS h",
    )
    expect(result.columns).toEqual([
      { name: 'b', type: 'BIGINT' },
      { name: 'd', type: 'DECIMAL(18,2)' },
      { name: 's', type: 'VARCHAR' },
      { name: 'st', type: 'STRUCT("fieldName" INTEGER)' },
      { name: 'h', type: 'HUGEINT' },
    ])
  })

  it('returns sum(INTEGER), a HUGEINT, as a number', async () => {
    const result = await engine.run('SELECT sum(x) AS total FROM (VALUES (1), (2), (3)) AS t(x)')
    expect(result.rows).toEqual([{ total: 6 }])
  })

  it('reports elapsed time', async () => {
    const result = await engine.run('SELECT 1 AS x')
    expect(result.stats.elapsedMs).toBeGreaterThanOrEqual(0)
  })
})

describe('? parameters', () => {
  it('binds strings, numbers, bigints, booleans and NULL as values, never as SQL', async () => {
    const hostile = "x'); DROP TABLE t; --"
    const result = await engine.run('SELECT ? AS s, ? AS i, ? AS f, ? AS big, ? AS b, ? AS n', [
      hostile,
      7,
      2.5,
      9007199254740993n,
      true,
      null,
    ])
    expect(result.rows).toEqual([{ s: hostile, i: 7, f: 2.5, big: 9007199254740993n, b: true, n: null }])
  })

  it('fills placeholders in WHERE, IN and LIMIT, with a date as text', async () => {
    const result = await engine.run(
      `SELECT d FROM (VALUES (DATE '2024-01-01'), (DATE '2024-02-01'), (DATE '2024-03-01')) AS t(d)
       WHERE d >= ? AND strftime(d, '%m') IN (?, ?) ORDER BY d LIMIT ?`,
      ['2024-02-01', '02', '03', 1],
    )
    expect(result.rows).toEqual([{ d: '2024-02-01' }])
  })
})

describe('failures', () => {
  it('throws a one-line UserError naming the label and DuckDB’s reason', async () => {
    const error = await engine
      .run('SELECT nope FROM range(1)', [], { label: 'deals_by_month' })
      .catch((e) => e)
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toMatch(/^query deals_by_month failed on DuckDB: Binder Error: .*"nope"/)
    expect(error.message).not.toContain('\n')
    expect(error.cause).toBeInstanceOf(Error)
  })

  it('describes the statement when there is no label', async () => {
    const error = await engine.run('SELEC 1').catch((e) => e)
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toMatch(/^query "SELEC 1" failed on DuckDB: Parser Error: /)
  })

  it('keeps working after a failure', async () => {
    await expect(engine.run('SELECT 1 / 0::INTEGER + nope')).rejects.toThrow(UserError)
    expect((await engine.run('SELECT 1 AS x')).rows).toEqual([{ x: 1 }])
  })
})

describe('cancellation', () => {
  it('does not run a query whose signal is already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(
      engine.run('CREATE TABLE never_created AS SELECT 1', [], { label: 'early', signal: controller.signal }),
    ).rejects.toThrow(/^query early was cancelled$/)
    const tables = await engine.run(
      "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'never_created'",
    )
    expect(tables.rows).toEqual([{ n: 0 }])
  })

  it('interrupts a query aborted at any point of its start', async () => {
    // An interrupt sent while DuckDB prepares a statement is cleared when it starts executing; the
    // abort lands at a different point of that sequence on each pass (a lost one never settles).
    for (let turns = 0; turns <= 24; turns++) {
      const controller = new AbortController()
      const running = engine.run(SLOW, [], { label: 'slow', signal: controller.signal })
      await eventLoopTurns(turns)
      controller.abort()
      await expect(running, `aborted after ${turns} turns`).rejects.toThrow(/^query slow was cancelled$/)
    }
  })

  it('interrupts a query aborted while it runs, and the engine goes on', async () => {
    const controller = new AbortController()
    const running = engine.run(SLOW, [], { label: 'slow', signal: controller.signal })
    setTimeout(() => controller.abort(), 200)
    await expect(running).rejects.toThrow(UserError)
    expect((await engine.run('SELECT 42 AS x')).rows).toEqual([{ x: 42 }])
  })

  it('interrupts only the aborted one of two concurrent queries', async () => {
    const controller = new AbortController()
    const slow = engine.run(SLOW, [], { signal: controller.signal })
    const quick = engine.run('SELECT count(*) AS n FROM range(1000)')
    expect((await quick).rows).toEqual([{ n: 1000 }])
    controller.abort()
    await expect(slow).rejects.toThrow(/cancelled/)
  })
})

describe('a file database', () => {
  const path = join(dir, 'nested', 'warehouse.duckdb')

  it('creates its folder, persists, and reopens read-only', async () => {
    const writer = await DuckDbEngine.open({ path })
    await writer.run('CREATE TABLE deals AS SELECT 1 AS id, 99.5::DECIMAL(10,2) AS amount')
    await writer.close()

    const reader = await DuckDbEngine.open({ path, readOnly: true })
    try {
      expect((await reader.run('SELECT id, amount FROM deals')).rows).toEqual([{ id: 1, amount: 99.5 }])
      const error = await reader
        .run('INSERT INTO deals VALUES (2, 1)', [], { label: 'write' })
        .catch((e) => e)
      expect(error).toBeInstanceOf(UserError)
      expect(error.message).toMatch(/^query write failed on DuckDB: .*read-only/i)
    } finally {
      await reader.close()
    }
  })

  it('fails to open a missing file read-only with a UserError naming it', async () => {
    const missing = join(dir, 'missing.duckdb')
    const error = await DuckDbEngine.open({ path: missing, readOnly: true }).catch((e) => e)
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toContain(`cannot open DuckDB database ${missing}`)
  })
})

describe('concurrency', () => {
  it('runs many queries at once on one engine, each with its own result', async () => {
    await engine.run('CREATE TABLE shared AS SELECT range AS i FROM range(100000)')
    const runs = Array.from({ length: 8 }, (_, k) =>
      engine.run('SELECT ? AS k, count(*) AS n, sum(i) AS total FROM shared WHERE i % 8 = ?', [k, k]),
    )
    const results = await Promise.all(runs)
    results.forEach((result, k) => {
      // i = k, k+8, …: 12,500 values summing to 12,500·k + 8·(0 + … + 12,499).
      expect(result.rows).toEqual([{ k, n: 12500, total: 12500 * k + 8 * ((12499 * 12500) / 2) }])
    })
  })

  it('keeps every session in UTC', async () => {
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => engine.run("SELECT current_setting('TimeZone') AS tz")),
    )
    for (const result of runs) expect(result.rows).toEqual([{ tz: 'UTC' }])
  })
})
