import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createGraph, defineModel, runUnitTests } from '../../../transforms/framework/index.js'
import { models } from '../../fixtures/transforms/models/index.js'
import { stgInvoices } from '../../fixtures/transforms/models/stg-invoices.js'

describe('unit tests on fixture rows (in-memory DuckDB)', () => {
  it('runs the project fixtures: the latest version wins, revenue sums per day through an ephemeral input', async () => {
    const results = await runUnitTests(createGraph(models).models)
    expect(results.map((r) => [r.model, r.name, r.status, r.message])).toEqual([
      ['stg_invoices', 'keeps_the_latest_version', 'pass', undefined],
      ['fct_daily_revenue', 'sums_per_day', 'pass', undefined],
    ])
  })

  it('reports missing and unexpected rows when the output differs', async () => {
    const openAmounts = defineModel({
      name: 'open_amounts',
      layer: 'marts',
      materialized: 'view',
      inputs: { inv: stgInvoices },
      columns: z.object({ invoice_id: z.string(), amount: z.number() }),
      query: ({ db }) =>
        db.selectFrom('inv').select(['inv.invoice_id', 'inv.amount']).where('inv.status', '=', 'open'),
      unitTests: [
        {
          name: 'only_open_invoices',
          given: {
            inv: [
              { invoice_id: 'a', status: 'open', amount: 1 },
              { invoice_id: 'b', status: 'paid', amount: 2 },
            ],
          },
          expect: [{ invoice_id: 'b', amount: 2 }],
        },
        {
          name: 'names_a_missing_column',
          given: {},
          expect: [{ invoice_id: 'x', amount: 1, nope: 1 } as never],
        },
      ],
    })
    const [wrong, invalid] = await runUnitTests([openAmounts])
    expect(wrong).toMatchObject({
      status: 'fail',
      failures: 2,
      message: '1 expected row missing, 1 unexpected',
      rows: [
        { invoice_id: 'b', amount: 2, revops_diff: 'missing' },
        { invoice_id: 'a', amount: 1, revops_diff: 'unexpected' },
      ],
    })
    expect(invalid).toMatchObject({
      status: 'error',
      message: 'expected rows name nope, which is not a column of open_amounts',
    })
  })
})
