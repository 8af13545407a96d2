import { type SemanticConfig, SemanticConfig as SemanticConfigSchema } from './spec/config.js'
import { formulaRefs, parseFormula } from './spec/formula.js'
import type { Metric } from './spec/metric.js'
import type { Measure, SemanticModel } from './spec/semantic-model.js'

/** A dimension reachable from a model: the column of some model on a many-to-one join path. */
export interface DimensionPath {
  readonly name: string
  /** Joins from the starting model, each from a foreign entity to the primary entity of the next model. */
  readonly joins: readonly {
    readonly model: SemanticModel
    readonly fromColumn: string
    readonly toColumn: string
  }[]
  readonly column: string
  readonly description: string
}

export interface ResolvedMeasure {
  readonly model: SemanticModel
  readonly measure: Measure
}

/** A catalog problem found by validation; `revops check` prints these. */
export interface CatalogIssue {
  readonly subject: string
  readonly message: string
}

/**
 * The semantic models and metrics, cross-checked: every reference resolves, formulas parse and
 * have no cycles, and dimensions are reachable only along many-to-one joins (so no join fans out).
 */
export class Catalog {
  readonly config: SemanticConfig
  readonly #models = new Map<string, SemanticModel>()
  readonly #metrics = new Map<string, Metric>()
  readonly #dimensions = new Map<string, Map<string, DimensionPath>>()

  constructor(
    models: readonly SemanticModel[],
    metrics: readonly Metric[],
    config: Partial<SemanticConfig> = {},
  ) {
    this.config = SemanticConfigSchema.parse(config)
    for (const model of models) {
      if (this.#models.has(model.name)) throw new Error(`semantic model ${model.name} is defined twice`)
      this.#models.set(model.name, model)
    }
    for (const metric of metrics) {
      if (this.#metrics.has(metric.id)) throw new Error(`metric ${metric.id} is defined twice`)
      this.#metrics.set(metric.id, metric)
    }
  }

  get models(): SemanticModel[] {
    return [...this.#models.values()]
  }

  get metrics(): Metric[] {
    return [...this.#metrics.values()]
  }

  model(name: string): SemanticModel {
    const model = this.#models.get(name)
    if (!model) throw new Error(`unknown semantic model ${name}`)
    return model
  }

  /** The metric, or undefined; use `requireMetric` where an unknown id is the user's mistake. */
  metric(id: string): Metric | undefined {
    return this.#metrics.get(id)
  }

  measure(ref: string): ResolvedMeasure {
    const [modelName = '', measureName] = ref.split('.')
    const model = this.model(modelName)
    const measure = model.measures.find((m) => m.name === measureName)
    if (!measure) throw new Error(`unknown measure ${ref}`)
    return { model, measure }
  }

  /** The model whose primary entity is `entity`. */
  primaryModel(entity: string): SemanticModel | undefined {
    return this.models.find((m) => m.entities.some((e) => e.name === entity && e.type === 'primary'))
  }

  /**
   * Dimensions reachable from a model, nearest first: its own dimensions and entity keys, then
   * those of models joined through foreign → primary entities (breadth-first, no cycles).
   */
  dimensionsOf(modelName: string): Map<string, DimensionPath> {
    const cached = this.#dimensions.get(modelName)
    if (cached) return cached
    const found = new Map<string, DimensionPath>()
    const start = this.model(modelName)
    const queue: { model: SemanticModel; joins: DimensionPath['joins'] }[] = [{ model: start, joins: [] }]
    const seen = new Set<string>([start.name])
    while (queue.length > 0) {
      const { model, joins } = queue.shift() as (typeof queue)[number]
      const offer = (name: string, column: string, description: string) => {
        if (!found.has(name)) found.set(name, { name, joins, column, description })
      }
      for (const d of model.dimensions) offer(d.name, d.column, d.description)
      for (const e of model.entities) offer(e.name, e.column, `the ${e.name} key`)
      for (const e of model.entities.filter((x) => x.type === 'foreign')) {
        const target = this.primaryModel(e.name)
        if (!target || seen.has(target.name)) continue
        seen.add(target.name)
        const key = target.entities.find((x) => x.name === e.name && x.type === 'primary') as {
          column: string
        }
        queue.push({
          model: target,
          joins: [...joins, { model: target, fromColumn: e.column, toColumn: key.column }],
        })
      }
    }
    this.#dimensions.set(modelName, found)
    return found
  }

  /** Every semantic model a metric reads (through formulas too). */
  modelsOf(metricId: string, seen = new Set<string>()): Set<string> {
    const metric = this.metric(metricId)
    const out = new Set<string>()
    if (!metric || seen.has(metricId)) return out
    seen.add(metricId)
    for (const ref of measureRefs(metric)) out.add(ref.split('.')[0] as string)
    for (const dep of metricDependencies(metric)) for (const m of this.modelsOf(dep, seen)) out.add(m)
    return out
  }

  /** Checks every reference; returns problems instead of throwing so all are reported at once. */
  validate(): CatalogIssue[] {
    const issues: CatalogIssue[] = []
    const report = (subject: string, message: string) => issues.push({ subject, message })
    for (const model of this.models) {
      for (const e of model.entities.filter((x) => x.type === 'foreign')) {
        if (!this.primaryModel(e.name))
          report(`model ${model.name}`, `no model has ${e.name} as its primary entity`)
      }
      for (const m of model.measures) {
        for (const c of m.where) {
          if (!this.dimensionsOf(model.name).has(c.dimension)) {
            report(`measure ${model.name}.${m.name}`, `condition on unknown dimension ${c.dimension}`)
          }
        }
      }
    }
    for (const metric of this.metrics) {
      const subject = `metric ${metric.id}`
      for (const ref of measureRefs(metric)) {
        try {
          this.measure(ref)
        } catch (error) {
          report(subject, (error as Error).message)
        }
      }
      try {
        for (const dep of metricDependencies(metric))
          if (!this.metric(dep)) report(subject, `unknown metric ${dep}`)
      } catch (error) {
        report(subject, `formula: ${(error as Error).message}`)
      }
      if (this.#cycle(metric.id, [])) report(subject, 'its formula refers to itself')
      if ((metric.type === 'retention' || metric.type === 'cohort') && !this.primaryModel(metric.entity)) {
        report(subject, `no model has ${metric.entity} as its primary entity`)
      }
      if (metric.type === 'conversion') {
        for (const ref of measureRefs(metric)) {
          const model = this.#models.get(ref.split('.')[0] as string)
          if (model && !model.entities.some((e) => e.name === metric.entity)) {
            report(subject, `${model.name} has no ${metric.entity} entity`)
          }
        }
      }
      for (const d of metric.viewDimensions) {
        if (!this.commonDimensions(metric.id).includes(d))
          report(subject, `view dimension ${d} is not available`)
      }
    }
    return issues
  }

  /** Dimensions available to every measure a metric reads. */
  commonDimensions(metricId: string): string[] {
    const metric = this.metric(metricId)
    if (!metric) return []
    if (metric.type === 'retention' || metric.type === 'cohort') {
      const entityModel = this.primaryModel(metric.entity)
      return entityModel ? [...this.dimensionsOf(entityModel.name).keys()] : []
    }
    let common: string[] | undefined
    const leaves = this.#leafModels(metricId, new Set())
    for (const model of leaves) {
      const names = [...this.dimensionsOf(model).keys()]
      common = common === undefined ? names : common.filter((n) => names.includes(n))
    }
    return common ?? []
  }

  #leafModels(metricId: string, seen: Set<string>): Set<string> {
    const metric = this.metric(metricId)
    const out = new Set<string>()
    if (!metric || seen.has(metricId)) return out
    seen.add(metricId)
    if (metric.type === 'retention' || metric.type === 'cohort') {
      const m = this.primaryModel(metric.entity)
      if (m) out.add(m.name)
      return out
    }
    for (const ref of measureRefs(metric)) out.add(ref.split('.')[0] as string)
    for (const dep of metricDependencies(metric)) for (const m of this.#leafModels(dep, seen)) out.add(m)
    return out
  }

  #cycle(id: string, path: string[]): boolean {
    if (path.includes(id)) return true
    const metric = this.metric(id)
    if (!metric) return false
    try {
      return metricDependencies(metric).some((dep) => this.#cycle(dep, [...path, id]))
    } catch {
      return false
    }
  }
}

/** The measures a metric reads directly. */
export function measureRefs(metric: Metric): string[] {
  switch (metric.type) {
    case 'simple':
      return [metric.measure]
    case 'ratio':
      return [metric.numerator.measure, metric.denominator.measure]
    case 'retention':
    case 'cohort':
      return [metric.balance]
    case 'conversion':
      return [metric.base.measure, metric.conversion.measure]
    case 'derived':
    case 'period_over_period':
      return []
  }
}

/** The metrics a metric is computed from. */
export function metricDependencies(metric: Metric): string[] {
  if (metric.type === 'derived')
    return [...new Set(formulaRefs(parseFormula(metric.formula)).map((r) => r.metric))]
  if (metric.type === 'period_over_period') return [metric.metric]
  return []
}
