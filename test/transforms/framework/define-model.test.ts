import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { UserError } from '../../../core/errors.js'
import {
  createGraph,
  defineModel,
  defineSource,
  type Materialization,
  type TestBuilder,
} from '../../../transforms/framework/index.js'
import { rawInvoices } from '../../fixtures/transforms/models/sources.js'
import { stgInvoices } from '../../fixtures/transforms/models/stg-invoices.js'

type Row = { invoice_id: string; day: string; n: number }

/** A model over stg_invoices; `overrides` replace parts of the definition (invalid ones on purpose). */
function make(name: string, materialized: Materialization<Row>, overrides: Record<string, unknown> = {}) {
  return defineModel({
    name,
    layer: 'marts',
    materialized,
    inputs: { inv: stgInvoices },
    columns: z.object({ invoice_id: z.string(), day: z.iso.date(), n: z.number() }),
    query: ({ db }) =>
      db.selectFrom('inv').select(['inv.invoice_id', 'inv.invoice_date as day', 'inv.amount as n']),
    ...overrides,
  })
}

describe('defineModel and defineSource', () => {
  it('reject definitions that cannot build, with one clear line', () => {
    const cases: [() => unknown, string][] = [
      [() => make('Fct_X', 'view'), 'model name must be lower_snake_case'],
      [
        () => make('by_id', { kind: 'incremental', strategy: 'delete+insert', timeColumn: 'invoice_id' }),
        'model by_id: time column invoice_id must be a z.iso.date() or z.iso.datetime()',
      ],
      [
        () => make('eph', 'ephemeral', { tests: (t: TestBuilder<Row>) => [t.unique('invoice_id')] }),
        'model eph: an ephemeral model has no table to test',
      ],
      [
        () =>
          make('twice', 'table', {
            tests: (t: TestBuilder<Row>) => [t.unique('invoice_id'), t.unique('invoice_id')],
          }),
        'model twice: two tests are named unique_invoice_id',
      ],
      [
        () => make('given_wrong', 'table', { unitTests: [{ name: 'u', given: { nope: [] }, expect: [] }] }),
        'model given_wrong: unit test u gives rows for nope, which is not an input',
      ],
      [
        () => make('odd', 'table', { columns: z.object({ x: z.array(z.string()) }) }),
        'model odd: column x has a type with no SQL counterpart',
      ],
      [
        () => defineSource({ source: 'stripe', entity: 'x', freshness: {} }),
        'source stripe__x: freshness: ✖ set warnAfterHours, errorAfterHours or both',
      ],
    ]
    for (const [define, message] of cases) {
      expect(define).toThrow(UserError)
      expect(define).toThrow(message)
    }
  })

  it('keeps the normalised materialization', () => {
    const model = make('daily', {
      kind: 'incremental',
      strategy: 'delete+insert',
      timeColumn: 'day',
      partitionedBy: ['day'],
    })
    expect(model.materialized).toEqual({
      kind: 'incremental',
      strategy: 'delete+insert',
      timeColumn: 'day',
      lookbackDays: 0,
      partitionedBy: ['day'],
    })
    expect(rawInvoices.table).toEqual({ schema: 'raw', name: 'stripe__invoices' })
  })
})

describe('the project graph', () => {
  it('collects upstream models and sources through imports', () => {
    const graph = createGraph([make('top', 'view')])
    expect(graph.models.map((m) => m.name)).toEqual(['stg_invoices', 'top'])
    expect(graph.sources.map((s) => s.id)).toEqual(['raw.stripe__invoices'])
    expect(graph.downstream('stg_invoices').map((m) => m.name)).toEqual(['top'])
  })

  it('rejects two different models with one name, and an input left undefined by an import cycle', () => {
    expect(() => createGraph([make('stg_invoices', 'view'), stgInvoices])).toThrow(
      'two different models are named stg_invoices',
    )
    // Inputs and test relations are imports evaluated at definition, so a cycle shows up as `undefined`.
    const early = make('early', 'view', { inputs: { inv: undefined } })
    expect(() => createGraph([early])).toThrow(
      'model early (input inv) has an undefined input: a circular import between model files?',
    )
  })
})
