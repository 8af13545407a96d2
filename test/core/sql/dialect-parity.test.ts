import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckDbEngine } from '../../../core/engines/duckdb-engine.js'
import { validateAthenaSql } from '../../../core/sql/athena/athena-sql-check.js'
import type { DialectName, SqlDialect } from '../../../core/sql/dialect.js'
import { allDialects, getDialect } from '../../../core/sql/dialects.js'
import { validateTrinoSql } from '../../../core/sql/trino/trino-grammar.js'
import { EXPRESSION_CASES } from './parity-cases.js'
import { duckDbValue, runDuckDb, selectSql, statementSql } from './parity-support.js'

// Every member of SqlDialect. The type check below fails to compile when a member is added to the
// interface without being listed here, and each listed helper must have a parity case or test.
const MEMBERS = [
  'name',
  'limits',
  'createQueryCompiler',
  'literal',
  'dateLiteral',
  'timestampLiteral',
  'quoteIdentifier',
  'tableName',
  'typeName',
  'cast',
  'tryCast',
  'dateTrunc',
  'dateAdd',
  'dateDiff',
  'lastDayOfMonth',
  'toDate',
  'fromUnixSeconds',
  'parseTimestamp',
  'dateSeries',
  'intDiv',
  'safeDiv',
  'jsonString',
  'jsonStringAt',
  'jsonText',
  'jsonArrayElements',
  'concat',
  'regexpReplaceAll',
  'median',
  'createTableAs',
  'createOrReplaceView',
  'dropTable',
  'dropView',
  'createSchema',
  'merge',
  'readJsonLines',
] as const satisfies readonly (keyof SqlDialect)[]
type Unlisted = Exclude<keyof SqlDialect, (typeof MEMBERS)[number]>
const everyMemberListed: [Unlisted] extends [never] ? true : Unlisted = true

const duckdb = getDialect('duckdb')
const athena = getDialect('athena')
let engine: DuckDbEngine

beforeAll(async () => {
  engine = await DuckDbEngine.open({ path: ':memory:' })
})
afterAll(async () => {
  await engine.close()
})

describe('every dialect', () => {
  it.each(allDialects().map((d) => [d.name, d] as const))(
    '%s implements every member of SqlDialect',
    (_, d) => {
      expect(everyMemberListed).toBe(true)
      for (const member of MEMBERS) {
        expect(d[member], member).toBeDefined()
        if (member !== 'name' && member !== 'limits') expect(typeof d[member], member).toBe('function')
      }
    },
  )

  it('pins SQL for every registered dialect', () => {
    const names = allDialects()
      .map((d) => d.name)
      .sort()
    for (const c of EXPRESSION_CASES) expect(Object.keys(c.sql).sort(), c.name).toEqual(names)
  })

  it('has a parity case for every expression helper', () => {
    const covered = new Set(EXPRESSION_CASES.map((c) => c.method))
    // Checked by their own tests below or in dialect-literals / dialect-statements.
    const elsewhere = new Set([
      'name',
      'limits',
      'createQueryCompiler',
      'literal',
      'dateLiteral',
      'timestampLiteral',
      'quoteIdentifier',
      'tableName',
      'typeName',
      'dateSeries',
      'jsonArrayElements',
      'median',
      'createTableAs',
      'createOrReplaceView',
      'dropTable',
      'dropView',
      'createSchema',
      'merge',
      'readJsonLines',
    ])
    expect(MEMBERS.filter((m) => !covered.has(m) && !elsewhere.has(m))).toEqual([])
  })
})

describe.each(EXPRESSION_CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
  it('renders the pinned SQL for every dialect', () => {
    for (const d of allDialects()) expect(selectSql(d, c.build(d)), d.name).toBe(c.sql[d.name])
  })

  it('gives the expected value on DuckDB', async () => {
    const { value, type } = await duckDbValue(engine, c.build(duckdb))
    expect(value).toEqual(c.expected)
    if (c.type) expect(type).toBe(c.type)
  })

  it('renders Athena SQL that parses as Trino and calls only Athena functions', async () => {
    const text = c.sql.athena
    expect(await validateTrinoSql(text)).toEqual({ ok: true, errors: [] })
    expect(await validateAthenaSql(text)).toEqual({ ok: true, errors: [] })
  })
})

describe('the silent differences between DuckDB and Trino', () => {
  // Each of these would pass on DuckDB and give other numbers on Athena without the dialect layer.
  it.each([
    ['7 / 2 is 3.5 in DuckDB, 3 in Trino', sql`7 / 2`, 3.5],
    [
      "date_diff('month', Jan 31, Feb 1) is 1 in DuckDB, 0 in Trino",
      sql`date_diff('month', DATE '2024-01-31', DATE '2024-02-01')`,
      1,
    ],
    [
      'regexp_replace replaces the first match in DuckDB, all in Trino',
      sql`regexp_replace('a-b-c', '-', '_')`,
      'a_b-c',
    ],
    ["concat('a', NULL) is 'a' in DuckDB, NULL in Trino", sql`concat('a', CAST(NULL AS VARCHAR))`, 'a'],
  ] as const)('raw DuckDB: %s', async (_, expr, duckdbValue) => {
    expect((await duckDbValue(engine, expr)).value).toBe(duckdbValue)
  })

  it('raw DuckDB date_trunc and date + INTERVAL on a DATE give TIMESTAMP; the helpers give DATE', async () => {
    expect((await duckDbValue(engine, sql`date_trunc('month', DATE '2024-08-22')`)).type).toBe('TIMESTAMP')
    expect((await duckDbValue(engine, sql`DATE '2024-01-31' + INTERVAL 1 MONTH`)).type).toBe('TIMESTAMP')
    const day = duckdb.dateLiteral('2024-01-31')
    expect(await duckDbValue(engine, duckdb.dateTrunc('month', day))).toEqual({
      value: '2024-01-01',
      type: 'DATE',
    })
    expect(await duckDbValue(engine, duckdb.dateAdd('month', 1, day))).toEqual({
      value: '2024-02-29',
      type: 'DATE',
    })
  })

  it('DuckDB sums INTEGERs as HUGEINT; the engine returns the sum as a number', async () => {
    const result = await runDuckDb(engine, 'SELECT sum(x) AS v FROM (VALUES (1), (2), (2147483647)) AS t(x)')
    expect(result.columns[0]?.type).toBe('HUGEINT')
    expect(result.rows[0]?.v).toBe(2147483650)
  })
})

describe('dateSeries', () => {
  const series = (
    d: SqlDialect,
    unit: 'day' | 'week' | 'month' | 'quarter' | 'year',
    from: string,
    to: string,
  ) =>
    sql`SELECT "s"."m" AS v FROM ${d.dateSeries(unit, d.dateLiteral(from), d.dateLiteral(to), 's', 'm')} ORDER BY 1`

  const cases: readonly {
    unit: 'day' | 'week' | 'month' | 'quarter' | 'year'
    from: string
    to: string
    expected: string[]
    sql: Record<DialectName, string>
  }[] = [
    {
      unit: 'day',
      from: '2024-02-27',
      to: '2024-03-01',
      expected: ['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01'],
      sql: {
        duckdb: `SELECT "s"."m" AS v FROM (SELECT CAST(g.d AS DATE) AS "m" FROM generate_series(CAST(DATE '2024-02-27' AS TIMESTAMP), CAST(DATE '2024-03-01' AS TIMESTAMP), INTERVAL 1 DAY) AS g(d)) AS "s" ORDER BY 1`,
        athena: `SELECT "s"."m" AS v FROM UNNEST(sequence(DATE '2024-02-27', DATE '2024-03-01', INTERVAL '1' DAY)) AS "s"("m") ORDER BY 1`,
      },
    },
    {
      unit: 'week',
      from: '2024-01-01',
      to: '2024-01-22',
      expected: ['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22'],
      sql: {
        duckdb: `SELECT "s"."m" AS v FROM (SELECT CAST(g.d AS DATE) AS "m" FROM generate_series(CAST(DATE '2024-01-01' AS TIMESTAMP), CAST(DATE '2024-01-22' AS TIMESTAMP), INTERVAL 7 DAY) AS g(d)) AS "s" ORDER BY 1`,
        athena: `SELECT "s"."m" AS v FROM UNNEST(sequence(DATE '2024-01-01', DATE '2024-01-22', INTERVAL '7' DAY)) AS "s"("m") ORDER BY 1`,
      },
    },
    {
      unit: 'month',
      from: '2024-01-01',
      to: '2024-04-01',
      expected: ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'],
      sql: {
        duckdb: `SELECT "s"."m" AS v FROM (SELECT CAST(g.d AS DATE) AS "m" FROM generate_series(CAST(DATE '2024-01-01' AS TIMESTAMP), CAST(DATE '2024-04-01' AS TIMESTAMP), INTERVAL 1 MONTH) AS g(d)) AS "s" ORDER BY 1`,
        athena: `SELECT "s"."m" AS v FROM UNNEST(sequence(DATE '2024-01-01', DATE '2024-04-01', INTERVAL '1' MONTH)) AS "s"("m") ORDER BY 1`,
      },
    },
    {
      unit: 'quarter',
      from: '2024-01-01',
      to: '2024-10-01',
      expected: ['2024-01-01', '2024-04-01', '2024-07-01', '2024-10-01'],
      sql: {
        duckdb: `SELECT "s"."m" AS v FROM (SELECT CAST(g.d AS DATE) AS "m" FROM generate_series(CAST(DATE '2024-01-01' AS TIMESTAMP), CAST(DATE '2024-10-01' AS TIMESTAMP), INTERVAL 3 MONTH) AS g(d)) AS "s" ORDER BY 1`,
        athena: `SELECT "s"."m" AS v FROM UNNEST(sequence(DATE '2024-01-01', DATE '2024-10-01', INTERVAL '3' MONTH)) AS "s"("m") ORDER BY 1`,
      },
    },
    {
      unit: 'year',
      from: '2022-01-01',
      to: '2024-01-01',
      expected: ['2022-01-01', '2023-01-01', '2024-01-01'],
      sql: {
        duckdb: `SELECT "s"."m" AS v FROM (SELECT CAST(g.d AS DATE) AS "m" FROM generate_series(CAST(DATE '2022-01-01' AS TIMESTAMP), CAST(DATE '2024-01-01' AS TIMESTAMP), INTERVAL 12 MONTH) AS g(d)) AS "s" ORDER BY 1`,
        athena: `SELECT "s"."m" AS v FROM UNNEST(sequence(DATE '2022-01-01', DATE '2024-01-01', INTERVAL '12' MONTH)) AS "s"("m") ORDER BY 1`,
      },
    },
  ]

  it.each(cases.map((c) => [c.unit, c] as const))('one DATE per %s, both ends included', async (_, c) => {
    for (const d of allDialects())
      expect(statementSql(d, series(d, c.unit, c.from, c.to)), d.name).toBe(c.sql[d.name])
    const result = await runDuckDb(engine, c.sql.duckdb)
    expect(result.rows.map((r) => r.v)).toEqual(c.expected)
    expect(result.columns[0]?.type).toBe('DATE')
    expect(await validateAthenaSql(c.sql.athena)).toEqual({ ok: true, errors: [] })
  })

  it('gives no rows when the end is before the start', async () => {
    const result = await runDuckDb(
      engine,
      statementSql(duckdb, series(duckdb, 'month', '2024-03-01', '2024-01-01')),
    )
    expect(result.rows).toEqual([])
  })

  it("follows each row's own bounds from an earlier FROM item", async () => {
    const perRow = (d: SqlDialect) =>
      sql`SELECT "t"."id" AS id, "s"."m" AS m FROM (VALUES (1, DATE '2024-01-01', DATE '2024-03-01'), (2, DATE '2024-05-01', DATE '2024-05-01')) AS "t"("id", "first", "last") CROSS JOIN ${d.dateSeries('month', sql.ref('t.first'), sql.ref('t.last'), 's', 'm')} ORDER BY 1, 2`
    const result = await runDuckDb(engine, statementSql(duckdb, perRow(duckdb)))
    expect(result.rows).toEqual([
      { id: 1, m: '2024-01-01' },
      { id: 1, m: '2024-02-01' },
      { id: 1, m: '2024-03-01' },
      { id: 2, m: '2024-05-01' },
    ])
    expect(await validateAthenaSql(statementSql(athena, perRow(athena)))).toEqual({ ok: true, errors: [] })
  })
})

describe('jsonArrayElements', () => {
  const docs = (d: SqlDialect) =>
    sql.raw(
      `(VALUES ${[
        [1, '{"items":[{"id":"a"},"x",2,null,[1]]}'],
        [2, '{"items":[]}'],
        [3, '{}'],
        [4, '{"items":"not an array"}'],
        [5, null],
        [6, 'not json'],
        [7, '{"items":[{"id":"b"}]}'],
      ]
        .map(([id, doc]) => `(${d.literal(id as number)}, ${d.literal(doc as string | null)})`)
        .join(', ')}) AS "t"("id", "doc")`,
    )
  const elements = (d: SqlDialect) =>
    sql`SELECT "t"."id" AS id, "e"."v" AS v FROM ${docs(d)} CROSS JOIN ${d.jsonArrayElements(sql.ref('t.doc'), 'items', 'e', 'v')}`

  const pinned: Record<DialectName, string> = {
    duckdb: `SELECT "t"."id" AS id, "e"."v" AS v FROM (VALUES (1, '{"items":[{"id":"a"},"x",2,null,[1]]}'), (2, '{"items":[]}'), (3, '{}'), (4, '{"items":"not an array"}'), (5, NULL), (6, 'not json'), (7, '{"items":[{"id":"b"}]}')) AS "t"("id", "doc") CROSS JOIN unnest(CAST(TRY_CAST(try(json_extract("t"."doc", '$."items"')) AS JSON[]) AS VARCHAR[])) AS "e"("v")`,
    athena: `SELECT "t"."id" AS id, "e"."v" AS v FROM (VALUES (1, '{"items":[{"id":"a"},"x",2,null,[1]]}'), (2, '{"items":[]}'), (3, '{}'), (4, '{"items":"not an array"}'), (5, NULL), (6, 'not json'), (7, '{"items":[{"id":"b"}]}')) AS "t"("id", "doc") CROSS JOIN UNNEST(transform(TRY_CAST(json_extract("t"."doc", '$["items"]') AS ARRAY(JSON)), e -> NULLIF(json_format(e), 'null'))) AS "e"("v")`,
  }

  it('renders the pinned SQL for every dialect', () => {
    for (const d of allDialects()) expect(statementSql(d, elements(d)), d.name).toBe(pinned[d.name])
  })

  it('gives one row per element as JSON text; empty, missing, non-array and bad JSON give none', async () => {
    const result = await runDuckDb(engine, pinned.duckdb)
    const rows = result.rows.map((r) => `${r.id}:${r.v}`).sort()
    expect(rows).toEqual(['1:"x"', '1:2', '1:[1]', '1:null', '1:{"id":"a"}', '7:{"id":"b"}'].sort())
    // The JSON null element is SQL NULL, not the text 'null'.
    expect(result.rows.filter((r) => r.id === 1).map((r) => r.v)).toContain(null)
  })

  it('renders Athena SQL that parses as Trino and calls only Athena functions', async () => {
    expect(await validateAthenaSql(pinned.athena)).toEqual({ ok: true, errors: [] })
  })
})

describe('median', () => {
  const median = (d: SqlDialect, values: number[]) =>
    sql`SELECT ${d.median(sql.ref('t.x'))} AS v FROM (VALUES ${sql.raw(values.map((v) => `(${v})`).join(', '))}) AS "t"("x")`

  it('renders the pinned SQL for every dialect', () => {
    const pinned: Record<DialectName, string> = {
      duckdb: `SELECT median(CAST("t"."x" AS DOUBLE)) AS v FROM (VALUES (1), (2), (10), (11)) AS "t"("x")`,
      athena: `SELECT approx_percentile(CAST("t"."x" AS DOUBLE), 0.5) AS v FROM (VALUES (1), (2), (10), (11)) AS "t"("x")`,
    }
    for (const d of allDialects())
      expect(statementSql(d, median(d, [1, 2, 10, 11])), d.name).toBe(pinned[d.name])
  })

  it.each([
    [[1, 2, 10], 2],
    [[1, 2, 10, 11], 6],
  ])('is exact on DuckDB: median of %j is %d, a DOUBLE', async (values, expected) => {
    const result = await runDuckDb(engine, statementSql(duckdb, median(duckdb, values)))
    expect(result.rows[0]?.v).toBe(expected)
    expect(result.columns[0]?.type).toBe('DOUBLE')
  })

  it('renders Athena SQL that parses as Trino and calls only Athena functions', async () => {
    expect(await validateAthenaSql(statementSql(athena, median(athena, [1, 2, 10])))).toEqual({
      ok: true,
      errors: [],
    })
  })
})

describe('the Athena check catches DuckDB spellings', () => {
  // Proof that the gate can fail: the DuckDB rendering of these helpers is not Athena SQL.
  it.each([
    'intDiv 7 / 2 is 3',
    'dateDiff month from 2024-01-31 to 2024-02-01 is 0',
    'lastDayOfMonth of 2024-02-10 is 2024-02-29',
    'fromUnixSeconds 0 is 1970-01-01T00:00:00.000Z',
    'jsonString a.b is "x"',
    'parseTimestamp "garbage" is null',
  ])('%s', async (name) => {
    const c = EXPRESSION_CASES.find((x) => x.name === name)
    expect(c, name).toBeDefined()
    const result = await validateAthenaSql(c?.sql.duckdb ?? '')
    expect(result.ok).toBe(false)
    expect(result.errors).toHaveLength(1)
  })
})
