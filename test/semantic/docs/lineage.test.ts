import { describe, expect, it } from 'vitest'
import { LineageBuilder, type LineageGraph, projectLineage } from '../../../semantic/docs/lineage.js'
import { projectCatalog } from '../../../semantic/project.js'
import { createGraph } from '../../../transforms/framework/index.js'
import { MART_CONTRACTS } from '../../../transforms/models/marts/contracts.js'
import { miniProject } from '../../fixtures/docs/mini-project.js'

const catalog = projectCatalog()
const edges = (g: LineageGraph) => g.edges.map((e) => `${e.from} -> ${e.to}`).sort()

describe('lineage from the framework graph', () => {
  const project = projectLineage(createGraph(miniProject))
  const lineage = new LineageBuilder(catalog, project, { metric: (id) => `${id}.html` })

  it('reads models, layers and inputs from the graph', () => {
    expect(project.sources.map((s) => s.id)).toEqual(['raw.stripe__customers', 'raw.stripe__invoices'])
    expect(project.models.map((m) => [m.name, m.layer, m.dependsOn])).toEqual([
      ['stg_stripe__customers', 'staging', ['raw.stripe__customers']],
      ['stg_stripe__invoices', 'staging', ['raw.stripe__invoices']],
      ['int_customer_months', 'intermediate', ['stg_stripe__customers', 'stg_stripe__invoices']],
      ['fct_customer_mrr_month', 'marts', ['int_customer_months']],
    ])
  })

  it('follows a derived metric down to raw source entities', () => {
    const g = lineage.metric('arpa')
    expect(edges(g)).toEqual([
      'metric:active_customers -> metric:arpa',
      'metric:mrr -> metric:arpa',
      'model:fct_customer_mrr_month -> semantic:customer_mrr',
      'model:int_customer_months -> model:fct_customer_mrr_month',
      'model:stg_stripe__customers -> model:int_customer_months',
      'model:stg_stripe__invoices -> model:int_customer_months',
      'semantic:customer_mrr -> metric:active_customers',
      'semantic:customer_mrr -> metric:mrr',
      'source:raw.stripe__customers -> model:stg_stripe__customers',
      'source:raw.stripe__invoices -> model:stg_stripe__invoices',
    ])
    const kinds = Object.fromEntries(g.nodes.map((n) => [n.id, n.kind]))
    expect(kinds).toMatchObject({
      'metric:arpa': 'metric',
      'semantic:customer_mrr': 'semantic_model',
      'model:fct_customer_mrr_month': 'marts',
      'model:int_customer_months': 'intermediate',
      'model:stg_stripe__invoices': 'staging',
      'source:raw.stripe__invoices': 'source',
    })
    expect(g.nodes.find((n) => n.id === 'metric:mrr')?.href).toBe('mrr.html')
    expect(lineage.sourcesOf('arpa')).toEqual(['stripe.customers', 'stripe.invoices'])
    expect(g.nodes.every((n) => n.modelled)).toBe(true)
  })

  it('stops at a mart no model builds, and marks it', () => {
    const g = lineage.metric('win_rate')
    expect(edges(g)).toEqual([
      'model:fct_opportunity -> semantic:opportunities',
      'semantic:opportunities -> metric:win_rate',
    ])
    expect(g.nodes.find((n) => n.id === 'model:fct_opportunity')).toMatchObject({
      kind: 'marts',
      modelled: false,
    })
    expect(lineage.sourcesOf('win_rate')).toEqual([])
    expect(lineage.modelled('fct_customer_mrr_month')).toBe(true)
    expect(lineage.modelled('fct_opportunity')).toBe(false)
  })

  it('draws the whole project: every mart, model, source and semantic model once', () => {
    const g = lineage.project(Object.keys(MART_CONTRACTS))
    const ids = g.nodes.map((n) => n.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const mart of Object.keys(MART_CONTRACTS)) expect(ids).toContain(`model:${mart}`)
    for (const model of catalog.models) expect(ids).toContain(`semantic:${model.name}`)
    expect(ids).toContain('source:raw.stripe__customers')
    expect(ids.filter((id) => id.startsWith('metric:'))).toEqual([])
  })

  it('with an empty registry, ends every branch at its mart', () => {
    const empty = new LineageBuilder(catalog, projectLineage(createGraph([])))
    const g = empty.metric('nrr')
    expect(edges(g)).toEqual([
      'model:fct_customer_mrr_month -> semantic:customer_mrr',
      'semantic:customer_mrr -> metric:nrr',
    ])
    expect(g.nodes.find((n) => n.id === 'model:fct_customer_mrr_month')?.modelled).toBe(false)
  })
})
