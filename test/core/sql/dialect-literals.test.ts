import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckDbEngine } from '../../../core/engines/duckdb-engine.js'
import type { SqlValue } from '../../../core/engines/engine.js'
import { validateAthenaSql } from '../../../core/sql/athena/athena-sql-check.js'
import type { DialectName, LiteralValue, ScalarType } from '../../../core/sql/dialect.js'
import { allDialects, getDialect } from '../../../core/sql/dialects.js'
import { compileOnlyKysely } from '../../../core/sql/kysely.js'
import { splitStatements } from '../../../core/sql/sql-grammar.js'
import { duckDbValue, selectSql } from './parity-support.js'

const dialects = allDialects().map((d) => [d.name, d] as const)
const duckdb = getDialect('duckdb')
let engine: DuckDbEngine

beforeAll(async () => {
  engine = await DuckDbEngine.open({ path: ':memory:' })
})
afterAll(async () => {
  await engine.close()
})

describe('literal', () => {
  // Both engines read standard SQL strings: only `'` is special, and a backslash is itself.
  const cases: readonly [string, LiteralValue, string, SqlValue][] = [
    ['a quote', "o'brien", `'o''brien'`, "o'brien"],
    ['an injection attempt', "x'); DROP TABLE t; --", `'x''); DROP TABLE t; --'`, "x'); DROP TABLE t; --"],
    ['a doubled quote', "''", `''''''`, "''"],
    ['a backslash', 'a\\b\\', `'a\\b\\'`, 'a\\b\\'],
    ['a newline', 'line 1\nline 2', `'line 1\nline 2'`, 'line 1\nline 2'],
    ['non-ASCII text', 'ünï – 💸', `'ünï – 💸'`, 'ünï – 💸'],
    ['an empty string', '', `''`, ''],
    ['an integer', 42, '42', 42],
    ['a negative integer', -7, '-7', -7],
    ['a fraction', 1.5, 'CAST(1.5 AS DOUBLE)', 1.5],
    ['an integer beyond 2^53', 2 ** 60, 'CAST(1152921504606847000 AS DOUBLE)', 2 ** 60],
    ['a bigint', 9007199254740993n, '9007199254740993', 9007199254740993n],
    ['true', true, 'TRUE', true],
    ['false', false, 'FALSE', false],
    ['null', null, 'NULL', null],
  ]

  it.each(cases)(
    'writes %s the same way for every dialect, and DuckDB reads it back',
    async (_, value, text, back) => {
      for (const d of allDialects()) expect(d.literal(value), d.name).toBe(text)
      expect((await duckDbValue(engine, sql.raw(duckdb.literal(value)))).value).toEqual(back)
    },
  )

  it.each(cases.filter(([, v]) => typeof v === 'string'))(
    'keeps %s inside one Athena statement that parses',
    async (_, value) => {
      const text = selectSql(getDialect('athena'), sql.raw(getDialect('athena').literal(value)))
      expect(splitStatements(text)).toHaveLength(1)
      expect(await validateAthenaSql(text)).toEqual({ ok: true, errors: [] })
    },
  )

  it.each(dialects)('%s refuses numbers that have no SQL literal', (_, d) => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])
      expect(() => d.literal(bad)).toThrow(/cannot write/)
  })
})

describe('dateLiteral', () => {
  it.each(dialects)('%s writes a DATE that DuckDB reads as the same day', async (_, d) => {
    expect(selectSql(d, d.dateLiteral('2024-02-29'))).toBe(`SELECT DATE '2024-02-29' AS v`)
    expect(await duckDbValue(engine, duckdb.dateLiteral('2024-02-29'))).toEqual({
      value: '2024-02-29',
      type: 'DATE',
    })
  })

  it.each(dialects)('%s rejects anything but a real YYYY-MM-DD day', (_, d) => {
    for (const bad of [
      '2024-02-30',
      '2023-02-29',
      '2024-13-01',
      '2024-00-10',
      '2024-1-5',
      '2024-01-31T00:00:00Z',
      "2024-01-01'; DROP TABLE x; --",
      '',
    ])
      expect(() => d.dateLiteral(bad), bad).toThrow(/not a date/)
  })
})

describe('timestampLiteral', () => {
  // Written as zone-less UTC text, whatever the zone of the input and of the machine.
  const cases: readonly [string, string, string][] = [
    ['2024-01-31T10:00:00Z', `TIMESTAMP '2024-01-31 10:00:00.000'`, '2024-01-31T10:00:00.000Z'],
    ['2024-01-31T10:00:00+01:00', `TIMESTAMP '2024-01-31 09:00:00.000'`, '2024-01-31T09:00:00.000Z'],
    ['2024-01-31T22:30:00-0500', `TIMESTAMP '2024-02-01 03:30:00.000'`, '2024-02-01T03:30:00.000Z'],
    ['2024-01-31 10:00:00', `TIMESTAMP '2024-01-31 10:00:00.000'`, '2024-01-31T10:00:00.000Z'],
    ['2024-01-31T10:00:00.5Z', `TIMESTAMP '2024-01-31 10:00:00.500'`, '2024-01-31T10:00:00.500Z'],
    ['2024-01-31T10:00:00.123456789Z', `TIMESTAMP '2024-01-31 10:00:00.123456'`, '2024-01-31T10:00:00.123Z'],
  ]

  it.each(cases)('%s is written as %s', async (input, text, value) => {
    for (const d of allDialects())
      expect(selectSql(d, d.timestampLiteral(input)), d.name).toBe(`SELECT ${text} AS v`)
    expect(await duckDbValue(engine, duckdb.timestampLiteral(input))).toEqual({ value, type: 'TIMESTAMP' })
  })

  it.each(dialects)('%s rejects anything but an ISO-8601 date and time', (_, d) => {
    for (const bad of [
      '2024-02-30T00:00:00Z',
      '2024-01-31T24:00:00Z',
      '2024-01-31T10:60:00Z',
      '2024-01-31',
      '2024-01-31T10:00Z',
      'garbage',
      "2024-01-31T10:00:00Z'; DROP TABLE x; --",
    ])
      expect(() => d.timestampLiteral(bad), bad).toThrow(/not a timestamp/)
  })
})

describe('identifiers', () => {
  it.each(dialects)('%s double-quotes lower_snake_case names', (_, d) => {
    expect(d.quoteIdentifier('deal_amount_usd')).toBe('"deal_amount_usd"')
    expect(d.tableName({ schema: 'marts', name: 'fct_deals' })).toBe('"marts"."fct_deals"')
  })

  it.each(dialects)('%s rejects other names rather than escaping them', (_, d) => {
    for (const bad of ['Deals', 'deal-amount', 'x"; DROP TABLE t; --', '1st', '', 'a b'])
      expect(() => d.quoteIdentifier(bad), bad).toThrow(/lower_snake_case/)
    expect(() => d.tableName({ schema: 'marts', name: 'Bad' })).toThrow(/lower_snake_case/)
  })
})

describe('typeName', () => {
  const pinned: Record<DialectName, Record<ScalarType, string>> = {
    duckdb: {
      varchar: 'VARCHAR',
      double: 'DOUBLE',
      bigint: 'BIGINT',
      integer: 'INTEGER',
      boolean: 'BOOLEAN',
      date: 'DATE',
      timestamp: 'TIMESTAMP',
    },
    athena: {
      varchar: 'VARCHAR',
      double: 'DOUBLE',
      bigint: 'BIGINT',
      integer: 'INTEGER',
      boolean: 'BOOLEAN',
      date: 'DATE',
      timestamp: 'TIMESTAMP',
    },
  }

  it.each(dialects)('%s spells every portable type, and DuckDB reports the same type back', async (_, d) => {
    for (const [type, name] of Object.entries(pinned[d.name]) as [ScalarType, string][]) {
      expect(d.typeName(type)).toBe(name)
      expect((await duckDbValue(engine, duckdb.cast(sql`NULL`, type))).type).toBe(pinned.duckdb[type])
    }
  })
})

describe('query compiler', () => {
  it.each(dialects)('%s compiles Kysely queries with double quotes and ? placeholders', (_, d) => {
    const query = compileOnlyKysely<{ deals: { id: string; amount: number } }>(d)
      .selectFrom('deals')
      .select('id')
      .where('amount', '>', 5)
      .where('id', 'in', ['a', 'b'])
      .compile()
    expect(query.sql).toBe('select "id" from "deals" where "amount" > ? and "id" in (?, ?)')
    expect(query.parameters).toEqual([5, 'a', 'b'])
  })
})

describe('limits', () => {
  it('states Athena service limits and none for DuckDB', () => {
    expect(getDialect('athena').limits).toEqual({ maxQueryBytes: 262_144, maxPartitionsPerWrite: 100 })
    expect(duckdb.limits).toEqual({
      maxQueryBytes: Number.POSITIVE_INFINITY,
      maxPartitionsPerWrite: Number.POSITIVE_INFINITY,
    })
  })
})
