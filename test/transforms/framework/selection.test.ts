import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { UserError } from '../../../core/errors.js'
import { createGraph, defineModel } from '../../../transforms/framework/index.js'
import { selectModels } from '../../../transforms/framework/selection.js'
import { landDayOne } from '../../fixtures/transforms/lake.js'
import { models } from '../../fixtures/transforms/models/index.js'
import { stgCustomers } from '../../fixtures/transforms/models/stg-customers.js'
import { openWarehouse, type Warehouse } from './support.js'

const graph = createGraph(models)
const select = (...selectors: string[]) => [...selectModels(graph, selectors, () => false)].sort()

describe('selectors', () => {
  it('selects everything without selectors, in DAG order', () => {
    expect(graph.models.map((m) => m.name)).toEqual([
      'stg_customers',
      'stg_invoices',
      'dim_customers',
      'int_paid_invoices',
      'fct_invoices',
      'fct_daily_revenue',
    ])
    expect(select()).toHaveLength(6)
  })

  it('selects a model, its downstream (model+) and its upstream (+model)', () => {
    expect(select('dim_customers')).toEqual(['dim_customers'])
    expect(select('stg_invoices+')).toEqual([
      'fct_daily_revenue',
      'fct_invoices',
      'int_paid_invoices',
      'stg_invoices',
    ])
    expect(select('+fct_daily_revenue')).toEqual(['fct_daily_revenue', 'int_paid_invoices', 'stg_invoices'])
    expect(select('+int_paid_invoices+')).toEqual(['fct_daily_revenue', 'int_paid_invoices', 'stg_invoices'])
  })

  it('unites several selectors, space or comma separated', () => {
    expect(select('dim_customers', 'fct_invoices')).toEqual(['dim_customers', 'fct_invoices'])
    expect(select('dim_customers,fct_invoices stg_customers')).toEqual([
      'dim_customers',
      'fct_invoices',
      'stg_customers',
    ])
  })

  it('rejects unknown models and methods with a hint', () => {
    expect(() => select('fct_invoice')).toThrow(UserError)
    expect(() => select('fct_invoice')).toThrow('no model named fct_invoice')
    expect(() => select('tag:nightly')).toThrow('unknown selector method "tag:nightly"')
    expect(() => select('a++')).toThrow('invalid selector "a++"')
  })

  it('state:modified selects models whose predicate holds, with + for their downstream', () => {
    const modified = (m: { name: string }) => m.name === 'stg_customers'
    expect([...selectModels(graph, ['state:modified'], modified)]).toEqual(['stg_customers'])
    expect([...selectModels(graph, ['state:modified+'], modified)].sort()).toEqual([
      'dim_customers',
      'fct_invoices',
      'stg_customers',
    ])
  })
})

describe('state:modified against an environment', () => {
  const segments = (expression: 'upper' | 'lower') =>
    defineModel({
      name: 'customer_names',
      layer: 'marts',
      materialized: 'table',
      inputs: { c: stgCustomers },
      columns: z.object({ customer_id: z.string(), name: z.string().nullable() }),
      query: ({ db }) =>
        db
          .selectFrom('c')
          .select((eb) => ['c.customer_id', eb.fn<string | null>(expression, ['c.name']).as('name')]),
    })
  let w: Warehouse
  beforeAll(async () => {
    w = await openWarehouse()
    await landDayOne(w.lake)
  })
  afterAll(async () => {
    await w.close()
  })

  it('builds only the models whose code changed since the environment was built', async () => {
    expect((await w.build([segments('upper')])).ok).toBe(true)
    const unchanged = await w.build([segments('upper')], { select: ['state:modified'] })
    expect(unchanged.models).toEqual([])
    const changed = await w.build([segments('lower')], { select: ['state:modified'] })
    expect(changed.models.map((m) => [m.model, m.status])).toEqual([['customer_names', 'success']])
    expect(await w.query('SELECT name FROM marts.customer_names ORDER BY 1')).toEqual([
      { name: 'acme' },
      { name: 'globex' },
    ])
    // A dev environment shows nothing yet: everything is modified there.
    const dev = await w.build([segments('lower')], { select: ['state:modified'], environment: 'dev_bob' })
    expect(dev.models.map((m) => [m.model, m.status])).toEqual([
      ['stg_customers', 'reused'],
      ['customer_names', 'reused'],
    ])
  })
})
