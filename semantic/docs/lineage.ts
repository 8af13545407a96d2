import type { ProjectGraph } from '../../transforms/framework/graph.js'
import { type Catalog, measureRefs, metricDependencies } from '../catalog.js'

/** The transforms project as the docs need it, as plain data (from the framework's graph). */
export interface ProjectLineage {
  readonly models: readonly {
    readonly name: string
    readonly layer: string
    readonly description: string
    /** Model names and source ids it reads. */
    readonly dependsOn: readonly string[]
  }[]
  readonly sources: readonly {
    readonly id: string
    readonly source: string
    readonly entity: string
    readonly description: string
  }[]
}

export function projectLineage(graph: ProjectGraph): ProjectLineage {
  return {
    models: graph.models.map((m) => ({
      name: m.name,
      layer: m.layer,
      description: m.description,
      dependsOn: [...new Set(Object.values(m.inputs).map((r) => r.id))].sort(),
    })),
    sources: graph.sources.map((s) => ({
      id: s.id,
      source: s.source,
      entity: s.entity,
      description: s.description,
    })),
  }
}

export type LineageKind = 'source' | 'staging' | 'intermediate' | 'marts' | 'semantic_model' | 'metric'

export interface LineageNode {
  /** `metric:mrr`, `semantic:customer_mrr`, `model:fct_invoice`, `source:raw.stripe__invoices`. */
  readonly id: string
  readonly kind: LineageKind
  readonly label: string
  readonly description: string
  /** False for a mart the semantic layer reads that no model in the transforms registry builds yet. */
  readonly modelled: boolean
  /** A page or anchor to link the node to. */
  readonly href?: string
}

export interface LineageGraph {
  readonly nodes: readonly LineageNode[]
  /** Upstream → downstream. */
  readonly edges: readonly { readonly from: string; readonly to: string }[]
}

const LAYER_KINDS: Record<string, LineageKind> = {
  staging: 'staging',
  intermediate: 'intermediate',
  marts: 'marts',
}

/**
 * Builds lineage graphs from the catalog and the transforms project: a metric reads metrics
 * (derived ones), semantic models read mart tables, models read models and raw sources. A mart
 * no model builds yet ends its branch and is marked unmodelled.
 */
export class LineageBuilder {
  readonly #models: ReadonlyMap<string, ProjectLineage['models'][number]>
  readonly #sources: ReadonlyMap<string, ProjectLineage['sources'][number]>
  readonly #project: ProjectLineage

  constructor(
    private readonly catalog: Catalog,
    project: ProjectLineage,
    private readonly links: {
      metric?: (id: string) => string
      semanticModel?: (name: string) => string
    } = {},
  ) {
    this.#project = project
    this.#models = new Map(project.models.map((m) => [m.name, m]))
    this.#sources = new Map(project.sources.map((s) => [s.id, s]))
  }

  /** Is this mart table built by a model of the registry? */
  modelled(table: string): boolean {
    return this.#models.has(table)
  }

  /** Everything a metric's numbers come from, down to raw source entities where known. */
  metric(metricId: string): LineageGraph {
    const g = new GraphParts()
    const visitMetric = (id: string): string => {
      const nodeId = `metric:${id}`
      if (g.has(nodeId)) return nodeId
      const metric = this.catalog.metric(id)
      g.node({
        id: nodeId,
        kind: 'metric',
        label: id,
        description: metric?.label ?? id,
        modelled: true,
        ...(this.links.metric ? { href: this.links.metric(id) } : {}),
      })
      if (!metric) return nodeId
      for (const dep of safe(() => metricDependencies(metric))) g.edge(visitMetric(dep), nodeId)
      for (const ref of measureRefs(metric))
        g.edge(this.#semanticModel(g, ref.split('.')[0] as string), nodeId)
      return nodeId
    }
    visitMetric(metricId)
    return g.graph()
  }

  /** The whole project: raw sources → staging → intermediate → marts → semantic models. */
  project(marts: readonly string[]): LineageGraph {
    const g = new GraphParts()
    for (const m of this.#project.models) this.#model(g, m.name)
    for (const table of marts) this.#model(g, table)
    for (const model of this.catalog.models) this.#semanticModel(g, model.name)
    return g.graph()
  }

  /** The raw source entities a metric finally reads (empty while its marts are unmodelled). */
  sourcesOf(metricId: string): string[] {
    return this.metric(metricId)
      .nodes.filter((n) => n.kind === 'source')
      .map((n) => n.label)
      .sort()
  }

  #semanticModel(g: GraphParts, name: string): string {
    const nodeId = `semantic:${name}`
    if (g.has(nodeId)) return nodeId
    const model = safe(() => [this.catalog.model(name)])[0]
    g.node({
      id: nodeId,
      kind: 'semantic_model',
      label: name,
      description: model?.description ?? '',
      modelled: true,
      ...(this.links.semanticModel ? { href: this.links.semanticModel(name) } : {}),
    })
    if (model) g.edge(this.#model(g, model.table), nodeId)
    return nodeId
  }

  #model(g: GraphParts, name: string): string {
    const source = this.#sources.get(name)
    if (source) {
      const nodeId = `source:${name}`
      if (!g.has(nodeId))
        g.node({
          id: nodeId,
          kind: 'source',
          label: `${source.source}.${source.entity}`,
          description: source.description || `raw ${source.source} ${source.entity}`,
          modelled: true,
        })
      return nodeId
    }
    const nodeId = `model:${name}`
    if (g.has(nodeId)) return nodeId
    const model = this.#models.get(name)
    g.node({
      id: nodeId,
      kind: model ? (LAYER_KINDS[model.layer] ?? 'intermediate') : 'marts',
      label: name,
      description: model
        ? model.description
        : 'mart table; no model in the transforms registry builds it yet',
      modelled: model !== undefined,
    })
    for (const input of model?.dependsOn ?? []) g.edge(this.#model(g, input), nodeId)
    return nodeId
  }
}

class GraphParts {
  readonly #nodes = new Map<string, LineageNode>()
  readonly #edges = new Map<string, { from: string; to: string }>()
  has(id: string): boolean {
    return this.#nodes.has(id)
  }
  node(node: LineageNode): void {
    this.#nodes.set(node.id, node)
  }
  edge(from: string, to: string): void {
    this.#edges.set(`${from}\u0000${to}`, { from, to })
  }
  graph(): LineageGraph {
    return { nodes: [...this.#nodes.values()], edges: [...this.#edges.values()] }
  }
}

function safe<T>(f: () => T[]): T[] {
  try {
    return f()
  } catch {
    return []
  }
}
