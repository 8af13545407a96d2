import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StateStore } from '../../../transforms/framework/index.js'
import { brokenProject, dimCustomersBroken } from '../../fixtures/transforms/broken/index.js'
import { invoice, land, landDayOne } from '../../fixtures/transforms/lake.js'
import { models } from '../../fixtures/transforms/models/index.js'
import { openWarehouse, resultOf, type Warehouse } from './support.js'

describe('a build with failures', () => {
  let w: Warehouse
  beforeAll(async () => {
    w = await openWarehouse()
    await landDayOne(w.lake)
    expect((await w.build(models)).ok).toBe(true)
  })
  afterAll(async () => {
    await w.close()
  })

  const physicalTables = async () =>
    (
      await w.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'physical' ORDER BY 1`,
      )
    ).map((r) => r.table_name)

  it('skips what reads a broken model, builds what does not, and leaves nothing half-built', async () => {
    const run = await w.build([...models, ...brokenProject])
    expect(run.ok).toBe(false)
    expect(resultOf(run, 'broken_amounts')).toMatchObject({ status: 'error' })
    expect(resultOf(run, 'broken_amounts').error).toMatch(
      /model broken_amounts \(create table\) failed on DuckDB: Conversion Error/,
    )
    expect(resultOf(run, 'after_broken')).toMatchObject({
      status: 'skipped',
      error: 'upstream model broken_amounts did not succeed',
    })
    expect(resultOf(run, 'customer_count')).toMatchObject({ status: 'success', rows: 1 })
    expect(resultOf(run, 'fct_invoices').status).toBe('reused')
    expect(resultOf(run, 'extra_column').error).toBe(
      'model extra_column: the built table does not match its columns: unexpected column segment (VARCHAR)',
    )
    const tables = await physicalTables()
    expect(tables.some((t) => t.startsWith('broken_amounts__') || t.startsWith('extra_column__'))).toBe(false)
    const marts = await w.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts' ORDER BY 1`,
    )
    expect(marts.map((r) => r.table_name)).toEqual([
      'customer_count',
      'dim_customers',
      'fct_daily_revenue',
      'fct_invoices',
    ])
  })

  it('keeps the prod view of a model whose new version fails', async () => {
    const before = await w.query('SELECT * FROM marts.dim_customers ORDER BY 1')
    const run = await w.build([dimCustomersBroken])
    expect(resultOf(run, 'dim_customers').status).toBe('error')
    expect(await w.query('SELECT * FROM marts.dim_customers ORDER BY 1')).toEqual(before)
  })

  it('shows the first 10 failing rows and the count; the failing model is not promoted and its downstream is skipped', async () => {
    const before = await w.query('SELECT * FROM marts.fct_invoices ORDER BY 1')
    const shownBefore = (await StateStore.open(w.target)).environment('prod').get('stg_invoices')?.physical
    await land(
      w.lake,
      'invoices',
      '2024-01-04T06:00:00.000Z',
      Array.from({ length: 12 }, (_, i) =>
        invoice(
          `in_refund_${String(i).padStart(2, '0')}`,
          'c1',
          -100 * (i + 1),
          '2024-01-04',
          'paid',
          '2024-01-04T01:00:00.000Z',
        ),
      ),
    )
    const run = await w.build(models)
    const staging = resultOf(run, 'stg_invoices')
    expect(staging.status).toBe('test_failure')
    const failed = staging.tests.find((t) => t.name === 'amount_is_not_negative')
    expect(failed).toMatchObject({ status: 'fail', failures: 12, severity: 'error' })
    expect(failed?.rows).toHaveLength(10)
    expect(failed?.rows[0]).toMatchObject({ customer_id: 'c1', status: 'paid', invoice_date: '2024-01-04' })
    expect(failed?.rows.every((r) => Number(r.amount) < 0)).toBe(true)
    expect(resultOf(run, 'fct_invoices')).toMatchObject({
      status: 'skipped',
      error: 'upstream model stg_invoices did not succeed',
    })
    expect(resultOf(run, 'fct_daily_revenue').status).toBe('skipped')
    expect(resultOf(run, 'dim_customers').status).toBe('reused')
    // Prod still shows the previous, passing builds. (Views are live over raw: only tables are snapshots.)
    expect((await StateStore.open(w.target)).environment('prod').get('stg_invoices')?.physical).toBe(
      shownBefore,
    )
    expect(staging.physical).not.toBe(shownBefore)
    expect(await w.query('SELECT * FROM marts.fct_invoices ORDER BY 1')).toEqual(before)
  })
})
