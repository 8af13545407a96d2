import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { expandRawReads, parseSqlScript, splitStatements } from '../../../bench/lib/sql-script.js'
import { DuckDbEngine } from '../../../core/engines/duckdb-engine.js'

describe('parseSqlScript', () => {
  it('splits a script into named blocks of statements, dropping comments and the header', () => {
    const script = [
      '-- header text',
      'SELECT 0;',
      '-- step: first',
      '-- what it does',
      'CREATE TABLE a AS SELECT 1 AS x;',
      "CREATE TABLE b AS SELECT ';' AS y;",
      '-- step: second',
      'SELECT *',
      'FROM a;',
    ].join('\n')
    expect(parseSqlScript(script, 'step')).toEqual([
      { name: 'first', statements: ['CREATE TABLE a AS SELECT 1 AS x', "CREATE TABLE b AS SELECT ';' AS y"] },
      { name: 'second', statements: ['SELECT *\nFROM a'] },
    ])
  })

  it('only ends a statement at a semicolon that ends a line', () => {
    expect(splitStatements('SELECT 1; SELECT 2;\nSELECT 3')).toEqual(['SELECT 1; SELECT 2', 'SELECT 3'])
  })

  it('finds the steps of the limit’s marts and its metric queries', () => {
    const marts = parseSqlScript(
      readFileSync(new URL('../../../bench/baseline/marts.sql', import.meta.url), 'utf8'),
      'step',
    )
    expect(marts.map((b) => b.name)).toContain('customer mrr month')
    const metrics = parseSqlScript(
      readFileSync(new URL('../../../bench/baseline/metrics.sql', import.meta.url), 'utf8'),
      'metric',
    )
    expect(metrics.map((b) => b.name)).toEqual(
      expect.arrayContaining(['mrr', 'win_rate', 'leads', 'mqls', 'sqls', 'ad_spend']),
    )
    for (const block of metrics) expect(block.statements).toHaveLength(1)
  })
})

/** The script's placeholder for an entity's landed files. */
const raw = (entity: string) => ['$', '{raw:', entity, '}'].join('')

describe('expandRawReads', () => {
  const lake = mkdtempSync(join(tmpdir(), 'revops-bench-raw-'))
  afterAll(() => rmSync(lake, { recursive: true, force: true }))

  it('reads an entity’s landed files, and an empty envelope where none landed', async () => {
    const folder = join(lake, 'raw', 'source=stripe', 'entity=customers', 'ingest_date=2025-01-01')
    mkdirSync(folder, { recursive: true })
    const envelope = {
      _id: 'cus_1',
      _source: 'stripe',
      _entity: 'customers',
      _ingested_at: '2025-01-01T00:00:00.000Z',
      _run_id: 'r',
      _deleted: false,
      _updated_at: null,
      payload: '{"id":"cus_1"}',
    }
    const { gzipSync } = await import('node:zlib')
    writeFileSync(join(folder, 'a.jsonl.gz'), gzipSync(`${JSON.stringify(envelope)}\n`))
    const engine = await DuckDbEngine.open({ path: ':memory:' })
    try {
      const landed = await engine.run(
        expandRawReads(`SELECT _id, payload->>'$.id' AS id FROM ${raw('stripe/customers')}`, lake),
      )
      expect(landed.rows).toEqual([{ _id: 'cus_1', id: 'cus_1' }])
      const empty = await engine.run(
        expandRawReads(`SELECT count(*) AS n FROM ${raw('stripe/events')} r`, lake),
      )
      expect(empty.rows).toEqual([{ n: 0 }])
    } finally {
      await engine.close()
    }
  })
})
