import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { janitor, promote, StateStore } from '../../../transforms/framework/index.js'
import { landDayOne, landDayTwo } from '../../fixtures/transforms/lake.js'
import { models } from '../../fixtures/transforms/models/index.js'
import { openWarehouse, resultOf, type Warehouse } from './support.js'

describe('building the test project on DuckDB', () => {
  let w: Warehouse
  beforeAll(async () => {
    w = await openWarehouse()
  })
  afterAll(async () => {
    await w.close()
  })

  it('builds every model from an empty lake: sources are empty views with the envelope columns', async () => {
    const run = await w.build(models)
    expect(run.models.map((m) => [m.model, m.status])).toEqual([
      ['stg_customers', 'success'],
      ['stg_invoices', 'success'],
      ['dim_customers', 'test_failure'],
      ['fct_invoices', 'success'],
      ['fct_daily_revenue', 'success'],
    ])
    // dim_customers wants at least one row: the failing test shows what it saw, and prod does not show it.
    const rowCount = resultOf(run, 'dim_customers').tests.find((t) => t.name === 'row_count')
    expect(rowCount).toMatchObject({ status: 'fail', failures: 1, rows: [{ row_count: 0 }] })
    expect(run.ok).toBe(false)
    expect(
      await w.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts' ORDER BY 1`,
      ),
    ).toEqual([{ table_name: 'fct_daily_revenue' }, { table_name: 'fct_invoices' }])
    expect(await w.query('SELECT * FROM marts.fct_invoices')).toEqual([])
    const columns = await w.engine.run('SELECT * FROM raw.stripe__invoices LIMIT 0')
    expect(columns.columns.map((c) => c.name)).toEqual([
      '_id',
      '_source',
      '_entity',
      '_ingested_at',
      '_run_id',
      '_deleted',
      '_updated_at',
      'payload',
      'ingest_date',
    ])
  })

  it('rebuilds what reads new raw files and shows it in prod; ephemeral models become CTEs', async () => {
    const before = await w.build(models)
    await landDayOne(w.lake)
    const run = await w.build(models)
    expect(run.ok).toBe(true)
    for (const name of ['stg_invoices', 'fct_invoices', 'fct_daily_revenue']) {
      expect(resultOf(run, name).physical).not.toBe(resultOf(before, name).physical)
    }
    expect(
      await w.query('SELECT invoice_id, segment, status, amount FROM marts.fct_invoices ORDER BY 1'),
    ).toEqual([
      { invoice_id: 'in_1', segment: 'smb', status: 'paid', amount: 100 },
      { invoice_id: 'in_2', segment: 'enterprise', status: 'paid', amount: 250 },
      { invoice_id: 'in_3', segment: 'smb', status: 'open', amount: 50 },
    ])
    expect(await w.query('SELECT * FROM marts.fct_daily_revenue ORDER BY 1')).toEqual([
      { revenue_date: '2024-01-01', invoices: 1, revenue: 100 },
      { revenue_date: '2024-01-02', invoices: 1, revenue: 250 },
    ])
    expect(w.statements.some((s) => /with "int_paid_invoices" as \(select/.test(s))).toBe(true)
    expect(
      await w.query(`SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'int_paid%'`),
    ).toEqual([])
  })

  it('reuses every model when neither code nor data changed', async () => {
    const first = await w.build(models)
    const second = await w.build(models)
    expect(second.models.map((m) => m.status)).toEqual(second.models.map(() => 'reused'))
    expect(second.models.map((m) => m.physical)).toEqual(first.models.map((m) => m.physical))
    const written = JSON.parse(readFileSync(join(w.artifacts, 'run_results.json'), 'utf8'))
    expect(written.models.map((m: { status: string }) => m.status)).toEqual(second.models.map(() => 'reused'))
  })

  it('after new invoice files, extends the incremental tables from their previous builds and reuses the rest', async () => {
    const before = await w.build(models)
    await landDayTwo(w.lake)
    const run = await w.build(models)
    expect(run.ok).toBe(true)
    // Customers got no new files: reused, same physical objects.
    for (const name of ['stg_customers', 'dim_customers']) {
      expect(resultOf(run, name).status).toBe('reused')
      expect(resultOf(run, name).physical).toBe(resultOf(before, name).physical)
    }
    const invoices = resultOf(run, 'fct_invoices')
    expect(invoices).toMatchObject({ status: 'success', action: 'incremental', rows: 4 })
    expect(invoices.seededFrom).toBe(resultOf(before, 'fct_invoices').physical)
    expect(resultOf(run, 'fct_daily_revenue')).toMatchObject({ action: 'incremental', rows: 3 })
    // The merge updated in_3 (open → paid) and inserted in_4; delete+insert rebuilt 01-02 and added 01-03.
    expect(await w.query('SELECT invoice_id, status FROM marts.fct_invoices ORDER BY 1')).toEqual([
      { invoice_id: 'in_1', status: 'paid' },
      { invoice_id: 'in_2', status: 'paid' },
      { invoice_id: 'in_3', status: 'paid' },
      { invoice_id: 'in_4', status: 'paid' },
    ])
    expect(await w.query('SELECT * FROM marts.fct_daily_revenue ORDER BY 1')).toEqual([
      { revenue_date: '2024-01-01', invoices: 1, revenue: 100 },
      { revenue_date: '2024-01-02', invoices: 2, revenue: 300 },
      { revenue_date: '2024-01-03', invoices: 1, revenue: 75 },
    ])
    // The previous build is untouched (environments could still show it) and kept until the janitor.
    const previous = resultOf(before, 'fct_invoices').physical
    expect(await w.query(`SELECT count(*) AS n FROM physical.${previous}`)).toEqual([{ n: 3 }])
  })

  it('--full-refresh rebuilds incremental models from their query into a new table', async () => {
    const before = await w.build(models)
    const run = await w.build(models, { fullRefresh: true, select: ['fct_invoices'] })
    expect(run.models.map((m) => m.model)).toEqual(['fct_invoices'])
    const refreshed = resultOf(run, 'fct_invoices')
    expect(refreshed).toMatchObject({ action: 'full', rows: 4, seededFrom: undefined })
    expect(refreshed.physical).not.toBe(resultOf(before, 'fct_invoices').physical)
    // The next build keeps the refreshed table: it does not fall back on the one the refresh replaced.
    const after = await w.build(models)
    expect(resultOf(after, 'fct_invoices')).toMatchObject({ status: 'reused', physical: refreshed.physical })
  })

  it('writes a manifest with SQL per dialect, fingerprints, dependencies and column lineage', async () => {
    await w.build(models)
    const manifest = JSON.parse(readFileSync(join(w.artifacts, 'manifest.json'), 'utf8'))
    const fct = manifest.models.fct_invoices
    expect(fct.depends_on).toEqual(['stg_customers', 'stg_invoices'])
    expect(fct.fingerprint).toMatch(/^[0-9a-f]{16}$/)
    expect(fct.sql.duckdb).toContain('from "staging"."stg_invoices" as "inv"')
    expect(fct.sql.athena).toContain('"staging"."stg_invoices"')
    expect(fct.lineage.segment).toEqual([{ relation: 'stg_customers', column: 'segment' }])
    expect(manifest.models.stg_invoices.lineage.amount).toEqual([
      { relation: 'raw.stripe__invoices', column: 'payload' },
    ])
    expect(manifest.models.fct_daily_revenue.lineage.revenue).toEqual([
      { relation: 'int_paid_invoices', column: 'amount' },
    ])
    expect(manifest.sources['raw.stripe__customers'].freshness).toMatchObject({ errorAfterHours: 72 })
  })

  it('promotes dev to prod by swapping views, and the janitor drops only unreferenced objects it created', async () => {
    const state = await StateStore.open(w.target)
    const prod = state.environment('prod')
    const dev = await w.build(models, { environment: 'dev_alice' })
    expect(dev.models.every((m) => m.status === 'reused')).toBe(true)
    expect(await w.query('SELECT count(*) AS n FROM dev_alice_marts.fct_invoices')).toEqual([{ n: 4 }])

    const objects = state.objects().length
    await state.reload()
    await promote(w.target, state, 'dev_alice', 'prod')
    expect(state.objects().length).toBe(objects)
    expect([...state.environment('prod').values()].map((e) => e.physical).sort()).toEqual(
      [...state.environment('dev_alice').values()].map((e) => e.physical).sort(),
    )
    expect(prod.size).toBe(5)

    await w.engine.run('CREATE TABLE physical.not_ours AS SELECT 1 AS x')
    const shown = new Set(state.environments().map((e) => e.physical))
    const dropped = await janitor(w.target, state)
    expect(dropped.length).toBeGreaterThan(0)
    expect(dropped.every((o) => !shown.has(o.name))).toBe(true)
    const left = await w.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'physical' ORDER BY 1`,
    )
    expect(left.map((r) => r.table_name)).toContain('not_ours')
    for (const o of dropped) expect(left.map((r) => r.table_name)).not.toContain(o.name)
    // Every environment still answers.
    expect(await w.query('SELECT count(*) AS n FROM marts.fct_daily_revenue')).toEqual([{ n: 3 }])
    expect(existsSync(join(w.artifacts, 'manifest.json'))).toBe(true)
  })
})
