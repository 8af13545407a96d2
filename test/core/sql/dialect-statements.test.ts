import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckDbEngine } from '../../../core/engines/duckdb-engine.js'
import { validateAthenaSql } from '../../../core/sql/athena/athena-sql-check.js'
import type { DialectName, SqlDialect } from '../../../core/sql/dialect.js'
import { allDialects, getDialect } from '../../../core/sql/dialects.js'
import { validateTrinoSql } from '../../../core/sql/trino/trino-grammar.js'
import { runDuckDb } from './parity-support.js'

const deals = { schema: 'parity', name: 'deals' }
const view = { schema: 'parity', name: 'big_deals' }
const seed = "SELECT 1 AS id, 10 AS amount, DATE '2024-01-31' AS closed_on"
const changes =
  "SELECT 1 AS id, 20 AS amount, DATE '2024-02-29' AS closed_on UNION ALL SELECT 2, 5, DATE '2024-03-01'"
const columns = ['id', 'amount', 'closed_on']

const statements: readonly {
  name: string
  render: (d: SqlDialect) => string
  sql: Record<DialectName, string>
}[] = [
  {
    name: 'createSchema',
    render: (d) => d.createSchema('parity'),
    sql: { duckdb: 'CREATE SCHEMA IF NOT EXISTS "parity"', athena: 'CREATE SCHEMA IF NOT EXISTS `parity`' },
  },
  {
    name: 'createTableAs',
    render: (d) => d.createTableAs(deals, seed),
    sql: {
      duckdb: `CREATE TABLE "parity"."deals" AS\n${seed}`,
      athena: `CREATE TABLE "parity"."deals"\nWITH (table_type = 'ICEBERG', is_external = false, format = 'PARQUET', write_compression = 'ZSTD') AS\n${seed}`,
    },
  },
  {
    name: 'createTableAs with a location and partitions',
    render: (d) =>
      d.createTableAs({ schema: 'parity', name: 'deals_by_day' }, seed, {
        location: 's3://lake/warehouse/deals_by_day/build-1/',
        partitionedBy: ['closed_on'],
      }),
    sql: {
      duckdb: `CREATE TABLE "parity"."deals_by_day" AS\n${seed}`,
      athena: `CREATE TABLE "parity"."deals_by_day"\nWITH (table_type = 'ICEBERG', is_external = false, format = 'PARQUET', write_compression = 'ZSTD', location = 's3://lake/warehouse/deals_by_day/build-1/', partitioning = ARRAY['closed_on']) AS\n${seed}`,
    },
  },
  {
    name: 'merge',
    render: (d) => d.merge({ target: deals, source: changes, keys: ['id'], columns }),
    sql: {
      duckdb: `MERGE INTO "parity"."deals" AS t\nUSING (${changes}) AS s\nON t."id" = s."id"\nWHEN MATCHED THEN UPDATE SET "amount" = s."amount", "closed_on" = s."closed_on"\nWHEN NOT MATCHED THEN INSERT ("id", "amount", "closed_on") VALUES (s."id", s."amount", s."closed_on")`,
      athena: `MERGE INTO "parity"."deals" AS t\nUSING (${changes}) AS s\nON t."id" = s."id"\nWHEN MATCHED THEN UPDATE SET "amount" = s."amount", "closed_on" = s."closed_on"\nWHEN NOT MATCHED THEN INSERT ("id", "amount", "closed_on") VALUES (s."id", s."amount", s."closed_on")`,
    },
  },
  {
    name: 'createOrReplaceView',
    render: (d) => d.createOrReplaceView(view, 'SELECT id, amount FROM "parity"."deals" WHERE amount > 6'),
    sql: {
      duckdb:
        'CREATE OR REPLACE VIEW "parity"."big_deals" AS\nSELECT id, amount FROM "parity"."deals" WHERE amount > 6',
      athena:
        'CREATE OR REPLACE VIEW "parity"."big_deals" AS\nSELECT id, amount FROM "parity"."deals" WHERE amount > 6',
    },
  },
  {
    name: 'dropView',
    render: (d) => d.dropView(view),
    sql: {
      duckdb: 'DROP VIEW IF EXISTS "parity"."big_deals"',
      athena: 'DROP VIEW IF EXISTS "parity"."big_deals"',
    },
  },
  {
    name: 'dropTable',
    render: (d) => d.dropTable(deals),
    sql: { duckdb: 'DROP TABLE IF EXISTS "parity"."deals"', athena: 'DROP TABLE IF EXISTS `parity`.`deals`' },
  },
]

describe.each(statements.map((s) => [s.name, s] as const))('%s', (_, s) => {
  it('renders the pinned SQL for every dialect', () => {
    for (const d of allDialects()) expect(s.render(d), d.name).toBe(s.sql[d.name])
  })

  it('renders Athena SQL that parses (Trino grammar; Hive grammar for Athena DDL)', async () => {
    expect(await validateTrinoSql(s.sql.athena)).toEqual({ ok: true, errors: [] })
    expect(await validateAthenaSql(s.sql.athena)).toEqual({ ok: true, errors: [] })
  })
})

describe('on DuckDB', () => {
  const duckdb = getDialect('duckdb')
  let engine: DuckDbEngine
  beforeAll(async () => {
    engine = await DuckDbEngine.open({ path: ':memory:' })
  })
  afterAll(async () => {
    await engine.close()
  })

  it('creates, upserts, views and drops as the statements say', async () => {
    await runDuckDb(engine, duckdb.createSchema('parity'))
    await runDuckDb(engine, duckdb.createSchema('parity')) // idempotent
    await runDuckDb(engine, duckdb.createTableAs(deals, seed))
    await runDuckDb(engine, duckdb.merge({ target: deals, source: changes, keys: ['id'], columns }))
    const merged = await runDuckDb(engine, 'SELECT id, amount, closed_on FROM "parity"."deals" ORDER BY id')
    expect(merged.rows).toEqual([
      { id: 1, amount: 20, closed_on: '2024-02-29' },
      { id: 2, amount: 5, closed_on: '2024-03-01' },
    ])

    await runDuckDb(
      engine,
      duckdb.createOrReplaceView(view, 'SELECT id FROM "parity"."deals" WHERE amount > 6'),
    )
    await runDuckDb(
      engine,
      duckdb.createOrReplaceView(view, 'SELECT id FROM "parity"."deals" WHERE amount > 1'),
    )
    expect((await runDuckDb(engine, 'SELECT count(*) AS n FROM "parity"."big_deals"')).rows).toEqual([
      { n: 2 },
    ])

    await runDuckDb(engine, duckdb.dropView(view))
    await runDuckDb(engine, duckdb.dropView(view)) // IF EXISTS
    await runDuckDb(engine, duckdb.dropTable(deals))
    await runDuckDb(engine, duckdb.dropTable(deals))
    const left = await runDuckDb(
      engine,
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'parity'",
    )
    expect(left.rows).toEqual([{ n: 0 }])
  })

  it('merges with only keys: inserts new rows and leaves matched ones', async () => {
    await runDuckDb(engine, duckdb.createSchema('parity'))
    await runDuckDb(engine, duckdb.createTableAs({ schema: 'parity', name: 'ids' }, 'SELECT 1 AS id'))
    const merge = duckdb.merge({
      target: { schema: 'parity', name: 'ids' },
      source: 'SELECT 1 AS id UNION ALL SELECT 2',
      keys: ['id'],
      columns: ['id'],
    })
    expect(merge).not.toContain('WHEN MATCHED')
    await runDuckDb(engine, merge)
    expect((await runDuckDb(engine, 'SELECT id FROM "parity"."ids" ORDER BY id')).rows).toEqual([
      { id: 1 },
      { id: 2 },
    ])
  })
})

describe.each(allDialects().map((d) => [d.name, d] as const))('%s refuses unsafe statements', (_, d) => {
  it('merge needs keys, and every key among the columns', () => {
    expect(() => d.merge({ target: deals, source: changes, keys: [], columns })).toThrow(/at least one key/)
    expect(() => d.merge({ target: deals, source: changes, keys: ['deal_id'], columns })).toThrow(
      /key deal_id is not a column/,
    )
  })

  it('names must be lower_snake_case in every statement', () => {
    const bad = { schema: 'parity', name: 'Deals; DROP' }
    expect(() => d.createTableAs(bad, seed)).toThrow(/lower_snake_case/)
    expect(() => d.dropTable(bad)).toThrow(/lower_snake_case/)
    expect(() => d.createSchema('a`b')).toThrow(/lower_snake_case/)
    expect(() => d.createTableAs(deals, seed, { partitionedBy: ["x'] --"] })).toThrow(/lower_snake_case/)
  })
})

describe('Athena DDL', () => {
  it('fails the check with double-quoted names, which Hive DDL does not read', async () => {
    const result = await validateAthenaSql('DROP TABLE IF EXISTS "parity"."deals"')
    expect(result.ok).toBe(false)
    expect(result.errors[0]?.line).toBe(1)
  })
})
