import { describe, expect, it } from 'vitest'
import { layoutDag, renderDag } from '../../../semantic/docs/dag-svg.js'
import { LineageBuilder, type LineageGraph, projectLineage } from '../../../semantic/docs/lineage.js'
import { projectCatalog } from '../../../semantic/project.js'
import { createGraph } from '../../../transforms/framework/index.js'
import { MART_CONTRACTS } from '../../../transforms/models/marts/contracts.js'
import { miniProject } from '../../fixtures/docs/mini-project.js'

const catalog = projectCatalog()
const lineage = new LineageBuilder(catalog, projectLineage(createGraph(miniProject)))

function checkLayout(graph: LineageGraph) {
  const layout = layoutDag(graph)
  const at = new Map(layout.placed.map((p) => [p.node.id, p]))
  expect(at.size).toBe(graph.nodes.length)
  // Every edge runs left to right: a node sits right of everything it reads.
  for (const e of graph.edges) {
    const from = at.get(e.from)
    const to = at.get(e.to)
    expect(from && to && from.x + from.width < to.x, `${e.from} -> ${e.to}`).toBe(true)
  }
  // No two boxes overlap, and all lie inside the drawing.
  const boxes = layout.placed
  for (const [i, a] of boxes.entries()) {
    expect(a.x + a.width).toBeLessThanOrEqual(layout.width)
    expect(a.y + 22).toBeLessThanOrEqual(layout.height)
    for (const b of boxes.slice(i + 1)) {
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + 22 <= b.y || b.y + 22 <= a.y
      expect(apart, `${a.node.id} overlaps ${b.node.id}`).toBe(true)
    }
  }
  return layout
}

describe('layered DAG layout', () => {
  it('puts a derived metric right of the metrics and models it reads', () => {
    const layout = checkLayout(lineage.metric('ltv'))
    const x = (id: string) => layout.placed.find((p) => p.node.id === id)?.x ?? -1
    expect(x('source:raw.stripe__invoices')).toBeLessThan(x('model:stg_stripe__invoices'))
    expect(x('model:stg_stripe__invoices')).toBeLessThan(x('model:int_customer_months'))
    expect(x('semantic:customer_mrr')).toBeLessThan(x('metric:arpa'))
    expect(x('metric:arpa')).toBeLessThan(x('metric:ltv'))
    expect(x('metric:logo_churn_rate')).toBeLessThan(x('metric:ltv'))
    // Columns are only those in use: nothing is drawn for a kind the graph does not have.
    expect(new Set(layout.placed.map((p) => p.x)).size).toBe(layout.columns.length)
  })

  it('lays out the whole project and every metric without overlaps', () => {
    checkLayout(lineage.project(Object.keys(MART_CONTRACTS)))
    for (const m of catalog.metrics) checkLayout(lineage.metric(m.id))
  })

  it('orders rows so that a node sits near what it reads', () => {
    // Two independent chains must not cross: each mart lines up with its own semantic model.
    const layout = checkLayout({
      nodes: [
        { id: 'model:b', kind: 'marts', label: 'b', description: '', modelled: false },
        { id: 'model:a', kind: 'marts', label: 'a', description: '', modelled: false },
        { id: 'semantic:z', kind: 'semantic_model', label: 'z', description: '', modelled: true },
        { id: 'semantic:y', kind: 'semantic_model', label: 'y', description: '', modelled: true },
      ],
      edges: [
        { from: 'model:a', to: 'semantic:z' },
        { from: 'model:b', to: 'semantic:y' },
      ],
    })
    const y = (id: string) => layout.placed.find((p) => p.node.id === id)?.y
    expect(y('model:a')).toBe(y('semantic:z'))
    expect(y('model:b')).toBe(y('semantic:y'))
  })

  it('heads each column with the kinds it holds', () => {
    const node = (id: string, kind: LineageGraph['nodes'][number]['kind']) => ({
      id,
      kind,
      label: id,
      description: '',
      modelled: true,
    })
    const svg = renderDag(
      {
        nodes: [
          node('source:a', 'source'),
          node('model:stg_a', 'staging'),
          node('model:stg_b', 'staging'),
          node('model:int_c', 'intermediate'),
          node('model:fct_d', 'marts'),
          node('model:fct_e', 'marts'),
        ],
        edges: [
          { from: 'source:a', to: 'model:stg_a' },
          { from: 'model:stg_a', to: 'model:stg_b' },
          { from: 'model:stg_a', to: 'model:int_c' },
          { from: 'model:stg_b', to: 'model:fct_d' },
          { from: 'model:fct_d', to: 'model:fct_e' },
        ],
      },
      { id: 'g2', description: 'mixed columns' },
    ).text
    // stg_b reads stg_a, so it shares a column with int_c; fct_e reads fct_d, a column of marts again.
    expect([...svg.matchAll(/font-weight="600"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1])).toEqual([
      'Raw sources',
      'Staging',
      'Staging · Intermediate',
      'Marts',
    ])
  })

  it('survives a cycle instead of looping', () => {
    const layout = layoutDag({
      nodes: [
        { id: 'metric:a', kind: 'metric', label: 'a', description: '', modelled: true },
        { id: 'metric:b', kind: 'metric', label: 'b', description: '', modelled: true },
      ],
      edges: [
        { from: 'metric:a', to: 'metric:b' },
        { from: 'metric:b', to: 'metric:a' },
      ],
    })
    expect(layout.placed).toHaveLength(2)
  })

  it('renders nodes, edges, links and full names in titles, escaping text', () => {
    const svg = renderDag(
      {
        nodes: [
          { id: 'model:m', kind: 'marts', label: 'fct_<x>', description: 'a & b', modelled: false },
          {
            id: 'metric:n',
            kind: 'metric',
            label: 'a_very_long_metric_name_that_does_not_fit_in_one_box_at_all',
            description: '',
            modelled: true,
            href: 'n.html',
          },
        ],
        edges: [{ from: 'model:m', to: 'metric:n' }],
      },
      { id: 'g1', description: 'test graph' },
    ).text
    expect(svg).toContain('<title>fct_&lt;x&gt; — a &amp; b</title>')
    expect(svg).toContain('stroke-dasharray="4 3"')
    expect(svg).toContain('<a href="n.html">')
    expect(svg).toContain('marker-end="url(#g1-arrow)"')
    expect(svg).toMatch(/>a_very_long_[a-z_]+…<\/text>/)
    expect(svg).toContain('<title>a_very_long_metric_name_that_does_not_fit_in_one_box_at_all</title>')
    expect(svg.match(/data-edge=/g)).toHaveLength(1)
  })
})
