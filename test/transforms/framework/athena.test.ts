import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AthenaEngine } from '../../../core/engines/athena-engine.js'
import { validateAthenaSql } from '../../../core/sql/athena/athena-sql-check.js'
import { build, catalogSources, createGraph, Target } from '../../../transforms/framework/index.js'
import { models } from '../../fixtures/transforms/models/index.js'
import { FakeAthenaServer, type FakeColumn } from '../../support/fake-athena-server.js'
import { resultOf } from './support.js'

// Athena cannot run offline: the real SDK client and AthenaEngine talk to a loopback Athena that
// answers scripted results (test/support/fake-athena-server.ts). What is checked is what the
// framework sends: every statement must be Athena SQL, writes batched, data at fresh locations.

const text = (name: string): FakeColumn => ({ name, type: 'varchar' })
const CONTRACTS: Record<string, FakeColumn[]> = {
  stg_customers: [text('customer_id'), text('name'), text('segment')],
  stg_invoices: [
    text('invoice_id'),
    text('customer_id'),
    text('status'),
    { name: 'amount', type: 'double' },
    { name: 'invoice_date', type: 'date' },
    { name: 'updated_at', type: 'timestamp' },
  ],
  dim_customers: [text('customer_id'), text('name'), text('segment')],
  fct_invoices: [
    text('invoice_id'),
    text('customer_id'),
    text('segment'),
    text('status'),
    { name: 'amount', type: 'decimal', precision: 18, scale: 2 },
    { name: 'invoice_date', type: 'date' },
    { name: 'updated_at', type: 'timestamp' },
  ],
  fct_daily_revenue: [
    { name: 'revenue_date', type: 'date' },
    { name: 'invoices', type: 'bigint' },
    { name: 'revenue', type: 'double' },
  ],
}
const DAYS = Array.from({ length: 150 }, (_, i) =>
  new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
)

let fake: FakeAthenaServer
let engine: AthenaEngine
beforeAll(async () => {
  fake = await FakeAthenaServer.start()
  engine = new AthenaEngine({
    workgroup: 'revops',
    outputLocation: 's3://results-bucket/athena/',
    region: 'eu-west-1',
    endpoint: fake.endpoint,
    credentials: { accessKeyId: 'AKIDFAKEATHENA', secretAccessKey: 'fake-secret' },
    poll: { initialMs: 1, maxMs: 5 },
    retryDelay: { baseMs: 1, maxMs: 5 },
  })
  // Later scripts win: anything else succeeds with no rows (DDL, writes, passing tests).
  fake.script({ match: /[\s\S]/ })
  fake.script({ match: 'information_schema.tables', columns: [text('table_name')], rows: [] })
  fake.script({
    match: /^SELECT count\(\*\) AS n, CAST\(max/,
    columns: [{ name: 'n', type: 'bigint' }, text('latest')],
    rows: [['3', '2024-01-02 06:00:00.000']],
  })
  for (const [model, columns] of Object.entries(CONTRACTS)) {
    fake.script({
      match: new RegExp(`^SELECT \\* FROM "revops_physical"\\."${model}__[0-9a-f]{8}" LIMIT 0$`),
      columns,
    })
    fake.script({
      match: new RegExp(`^SELECT count\\(\\*\\) AS n FROM "revops_physical"\\."${model}__`),
      columns: [{ name: 'n', type: 'bigint' }],
      rows: [['150']],
      statistics: { dataScannedInBytes: 1000 },
    })
  }
  fake.script({
    match: /^SELECT DISTINCT "revenue_date" FROM/,
    columns: [{ name: 'revenue_date', type: 'date' }],
    rows: DAYS.map((d) => [d]),
  })
})
afterAll(async () => {
  await engine.close()
  await fake.stop()
})

describe('building on Athena (loopback)', () => {
  it('sends only Athena SQL: Iceberg CTAS at fresh locations, writes of at most 100 partitions', async () => {
    const target = new Target(engine, { schemaPrefix: 'revops_', tableLocation: 's3://warehouse-bucket' })
    const run = await build({ target, graph: createGraph(models), sources: catalogSources() })
    expect(run.models.map((m) => [m.model, m.status, m.error])).toEqual(
      Object.keys(CONTRACTS).map((m) => [m, 'success', undefined]),
    )
    expect(resultOf(run, 'dim_customers').bytesScanned).toBe(1000)

    const sent = fake.calls('StartQueryExecution').map((r) => String(r.body.QueryString))
    for (const sql of sent) {
      const check = await validateAthenaSql(sql)
      expect({ sql, errors: check.errors }).toEqual({ sql, errors: [] })
    }
    const ctas = sent.filter((s) => s.startsWith('CREATE TABLE "revops_physical"."dim_customers__'))
    expect(ctas).toHaveLength(1)
    expect(ctas[0]).toMatch(
      /location = 's3:\/\/warehouse-bucket\/revops_physical\/dim_customers__[0-9a-f]{8}\/[0-9a-f-]{36}\/'/,
    )
    // 150 days of revenue: a CTAS of 100 partitions, then an INSERT of the other 50.
    const writes = sent.filter((s) =>
      /^(CREATE TABLE|INSERT INTO) "revops_physical"\."fct_daily_revenue__/.test(s),
    )
    expect(writes.map((w) => [w.split(' ')[0], w.match(/"revenue_date" = DATE/g)?.length])).toEqual([
      ['CREATE', 100],
      ['INSERT', 50],
    ])
    // Environments are views in the prefixed Glue databases.
    expect(sent).toContainEqual(
      expect.stringMatching(
        /^CREATE OR REPLACE VIEW "revops_marts"\."fct_invoices" AS\nSELECT \* FROM "revops_physical"\."fct_invoices__/,
      ),
    )
  })
})
