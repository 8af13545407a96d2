import { html, type SafeHtml } from '../html/html.js'
import { FONT_STACK } from '../html/svg-chart.js'
import type { LineageGraph, LineageKind, LineageNode } from './lineage.js'

/** The column each kind starts in; a node sits right of everything it reads. */
const KIND_RANK: Record<LineageKind, number> = {
  source: 0,
  staging: 1,
  intermediate: 2,
  marts: 3,
  semantic_model: 4,
  metric: 5,
}

export const KIND_LABEL: Record<LineageKind, string> = {
  source: 'Raw sources',
  staging: 'Staging',
  intermediate: 'Intermediate',
  marts: 'Marts',
  semantic_model: 'Semantic models',
  metric: 'Metrics',
}

export const KIND_STYLE: Record<LineageKind, { fill: string; stroke: string; text: string }> = {
  source: { fill: '#eef0f3', stroke: '#8a93a3', text: '#1d2433' },
  staging: { fill: '#e8f4ec', stroke: '#2e8b57', text: '#1d2433' },
  intermediate: { fill: '#fff5e0', stroke: '#c98a1a', text: '#1d2433' },
  marts: { fill: '#e7eef8', stroke: '#1f4e8c', text: '#1d2433' },
  semantic_model: { fill: '#f2ebf8', stroke: '#8e5ea2', text: '#1d2433' },
  metric: { fill: '#1f2a3d', stroke: '#1f2a3d', text: '#ffffff' },
}

const NODE_HEIGHT = 22
const ROW_GAP = 6
const COLUMN_GAP = 64
const HEADER = 26
const PAD = 8
const CHAR_WIDTH = 6.6
const MIN_WIDTH = 96
const MAX_WIDTH = 250
const SWEEPS = 8

interface Placed {
  readonly node: LineageNode
  readonly x: number
  readonly y: number
  readonly width: number
}

/**
 * A layered drawing of a DAG, rendered on the server as SVG: each node in the column after
 * everything it reads (never before its kind's own column), rows ordered by a few barycenter
 * sweeps to keep edges short, edges as curves from right to left.
 */
export function renderDag(graph: LineageGraph, options: { id: string; description: string }): SafeHtml {
  const layout = layoutDag(graph)
  const byId = new Map(layout.placed.map((p) => [p.node.id, p]))
  const marker = `${options.id}-arrow`
  const edges = graph.edges.flatMap((e) => {
    const a = byId.get(e.from)
    const b = byId.get(e.to)
    if (!a || !b) return []
    const x1 = a.x + a.width
    const y1 = a.y + NODE_HEIGHT / 2
    const x2 = b.x - 2
    const y2 = b.y + NODE_HEIGHT / 2
    const dx = Math.max(24, (x2 - x1) / 2)
    return [
      html`<path d="M${x1} ${y1} C${x1 + dx} ${y1}, ${x2 - dx} ${y2}, ${x2} ${y2}" fill="none" stroke="#a3abb8" stroke-width="1.1" marker-end="url(#${marker})" data-edge="${e.from} ${e.to}"/>`,
    ]
  })
  const nodes = layout.placed.map((p) => {
    const style = KIND_STYLE[p.node.kind]
    const chars = Math.floor((p.width - 14) / CHAR_WIDTH)
    const label = p.node.label.length > chars ? `${p.node.label.slice(0, chars - 1)}…` : p.node.label
    const box = html`<g data-node="${p.node.id}" data-kind="${p.node.kind}"><title>${p.node.label}${
      p.node.description ? ` — ${p.node.description}` : ''
    }</title><rect x="${p.x}" y="${p.y}" width="${p.width}" height="${NODE_HEIGHT}" rx="4" fill="${
      p.node.modelled ? style.fill : '#ffffff'
    }" stroke="${style.stroke}" stroke-width="1.2"${p.node.modelled ? '' : html` stroke-dasharray="4 3"`}/><text x="${
      p.x + 7
    }" y="${p.y + NODE_HEIGHT / 2}" dominant-baseline="central" fill="${style.text}">${label}</text></g>`
    return p.node.href ? html`<a href="${p.node.href}">${box}</a>` : box
  })
  // A column is headed by the kinds it holds (a staging model that reads another sits beside the
  // intermediate ones); a column holding the same kinds as the one before it has no header again.
  const headers = layout.columns.map((c, i) =>
    i > 0 && sameKinds(layout.columns[i - 1]?.kinds ?? [], c.kinds)
      ? ''
      : html`<text x="${c.x}" y="${PAD + 10}" font-weight="600" fill="#5b6475" font-size="11">${c.kinds
          .map((k) => KIND_LABEL[k])
          .join(' · ')}</text>`,
  )
  return html`<svg xmlns="http://www.w3.org/2000/svg" class="dag" id="${options.id}" viewBox="0 0 ${layout.width} ${
    layout.height
  }" width="${layout.width}" height="${layout.height}" role="img" aria-label="${options.description}" font-family="${FONT_STACK}" font-size="11.5">
<defs><marker id="${marker}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0 L8 4 L0 8 z" fill="#a3abb8"/></marker></defs>
${headers}
${edges}
${nodes}
</svg>`
}

function sameKinds(a: readonly LineageKind[], b: readonly LineageKind[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i])
}

export interface DagLayout {
  readonly placed: readonly Placed[]
  /** Each column's left edge and the kinds of node it holds, in layer order. */
  readonly columns: readonly { readonly x: number; readonly kinds: readonly LineageKind[] }[]
  readonly width: number
  readonly height: number
}

export function layoutDag(graph: LineageGraph): DagLayout {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]))
  const preds = new Map<string, string[]>()
  const succs = new Map<string, string[]>()
  for (const e of graph.edges) {
    if (!nodes.has(e.from) || !nodes.has(e.to)) continue
    preds.set(e.to, [...(preds.get(e.to) ?? []), e.from])
    succs.set(e.from, [...(succs.get(e.from) ?? []), e.to])
  }

  // Longest path from the roots, never left of the kind's own column; a cycle is cut where found.
  const rank = new Map<string, number>()
  const visiting = new Set<string>()
  const rankOf = (id: string): number => {
    const known = rank.get(id)
    if (known !== undefined) return known
    if (visiting.has(id)) return 0
    visiting.add(id)
    const node = nodes.get(id) as LineageNode
    const r = Math.max(KIND_RANK[node.kind], ...(preds.get(id) ?? []).map((p) => rankOf(p) + 1))
    visiting.delete(id)
    rank.set(id, r)
    return r
  }
  for (const id of nodes.keys()) rankOf(id)
  const used = [...new Set(rank.values())].sort((a, b) => a - b)
  const columns: string[][] = used.map((r) =>
    [...nodes.values()]
      .filter((n) => rank.get(n.id) === r)
      .sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.label.localeCompare(b.label))
      .map((n) => n.id),
  )
  const position = new Map<string, number>()
  const place = () =>
    columns.forEach((col) => {
      col.forEach((id, i) => {
        position.set(id, (i + 0.5) / col.length)
      })
    })
  place()
  const reorder = (col: string[], neighbours: Map<string, string[]>) => {
    const centre = (id: string) => {
      const ns = (neighbours.get(id) ?? []).map((n) => position.get(n)).filter((v) => v !== undefined)
      return ns.length ? ns.reduce((s, v) => s + v, 0) / ns.length : (position.get(id) ?? 0)
    }
    const keyed = col.map((id) => ({ id, key: centre(id) }))
    keyed.sort((a, b) => a.key - b.key)
    col.splice(0, col.length, ...keyed.map((k) => k.id))
  }
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const down = sweep % 2 === 0
    const order = down ? columns.slice(1) : columns.slice(0, -1).reverse()
    for (const col of order) {
      reorder(col, down ? preds : succs)
      col.forEach((id, i) => {
        position.set(id, (i + 0.5) / col.length)
      })
    }
  }

  const widths = columns.map((col) =>
    Math.min(
      MAX_WIDTH,
      Math.max(
        MIN_WIDTH,
        ...col.map((id) => Math.ceil((nodes.get(id)?.label.length ?? 0) * CHAR_WIDTH + 16)),
      ),
    ),
  )
  const tallest = Math.max(0, ...columns.map((c) => c.length * (NODE_HEIGHT + ROW_GAP) - ROW_GAP))
  const placed: Placed[] = []
  const columnInfo: { x: number; kinds: LineageKind[] }[] = []
  let x = PAD
  columns.forEach((col, c) => {
    const width = widths[c] as number
    const height = col.length * (NODE_HEIGHT + ROW_GAP) - ROW_GAP
    const top = PAD + HEADER + (tallest - height) / 2
    col.forEach((id, i) => {
      placed.push({
        node: nodes.get(id) as LineageNode,
        x,
        y: Math.round(top + i * (NODE_HEIGHT + ROW_GAP)),
        width,
      })
    })
    const kinds = [...new Set(col.map((id) => (nodes.get(id) as LineageNode).kind))]
    columnInfo.push({ x, kinds: kinds.sort((a, b) => KIND_RANK[a] - KIND_RANK[b]) })
    x += width + COLUMN_GAP
  })
  return {
    placed,
    columns: columnInfo,
    width: Math.max(x - COLUMN_GAP + PAD, 200),
    height: PAD + HEADER + tallest + PAD,
  }
}
