import { oneLine } from '../../core/errors.js'
import type { SqlDialect } from '../../core/sql/dialect.js'
import { compileMetricQuery } from '../answer.js'
import { type Catalog, metricDependencies } from '../catalog.js'
import type { Metric, Window } from '../spec/metric.js'
import type { Condition } from '../spec/semantic-model.js'

/** One line of a metric's type-specific definition: what it is computed from, in words and code. */
export interface DefinitionFact {
  readonly term: string
  /** Plain text; `code` parts are shown in a monospace font. */
  readonly parts: readonly { readonly text: string; readonly code?: boolean }[]
}

export interface MetricDoc {
  readonly metric: Metric
  readonly typeLabel: string
  readonly facts: readonly DefinitionFact[]
  readonly dimensions: readonly { readonly name: string; readonly description: string }[]
  /** Month-grain SQL per engine, or the reason it does not compile. */
  readonly sql: readonly {
    readonly dialect: SqlDialect['name']
    readonly sql?: string
    readonly error?: string
  }[]
  /** Metrics this one is computed from, and metrics computed from it. */
  readonly dependsOn: readonly string[]
  readonly usedBy: readonly string[]
  /** The semantic models its numbers are read from (through derived metrics too). */
  readonly semanticModels: readonly string[]
}

const TYPE_LABELS: Record<Metric['type'], string> = {
  simple: 'simple (one measure)',
  ratio: 'ratio of sums',
  derived: 'derived (formula)',
  period_over_period: 'period over period',
  retention: 'trailing retention',
  cohort: 'cohort table',
  conversion: 'funnel conversion',
}

/** Everything the catalog pages show about each metric, in catalog order. */
export function metricDocs(catalog: Catalog, dialects: readonly SqlDialect[]): MetricDoc[] {
  const usedBy = new Map<string, string[]>()
  for (const m of catalog.metrics) {
    for (const dep of dependencies(m)) usedBy.set(dep, [...(usedBy.get(dep) ?? []), m.id])
  }
  return catalog.metrics.map((metric) => ({
    metric,
    typeLabel: TYPE_LABELS[metric.type],
    facts: definitionFacts(catalog, metric),
    dimensions: catalog.commonDimensions(metric.id).map((name) => ({
      name,
      description: describeDimension(catalog, metric, name),
    })),
    sql: dialects.map((dialect) => {
      try {
        const { rendered } = compileMetricQuery(catalog, { metrics: [metric.id], grain: 'month' }, dialect)
        return { dialect: dialect.name, sql: rendered.sql }
      } catch (error) {
        return { dialect: dialect.name, error: oneLine(error) }
      }
    }),
    dependsOn: dependencies(metric),
    usedBy: usedBy.get(metric.id) ?? [],
    semanticModels: [...catalog.modelsOf(metric.id)].sort(),
  }))
}

function dependencies(metric: Metric): string[] {
  try {
    return metricDependencies(metric)
  } catch {
    return []
  }
}

function describeDimension(catalog: Catalog, metric: Metric, name: string): string {
  const models =
    metric.type === 'retention' || metric.type === 'cohort'
      ? [catalog.primaryModel(metric.entity)?.name]
      : [...catalog.modelsOf(metric.id)]
  for (const model of models) {
    if (!model) continue
    const found = catalog.dimensionsOf(model).get(name)
    if (found) return found.description
  }
  return ''
}

const code = (text: string) => ({ text, code: true })
const text = (t: string) => ({ text: t })

function measureParts(catalog: Catalog, ref: string, where: readonly Condition[] = []) {
  const parts: DefinitionFact['parts'][number][] = [code(ref)]
  try {
    const { measure } = catalog.measure(ref)
    parts.push(text(` — ${measure.agg}${measure.column ? ` of ${measure.column}` : ' of rows'}`))
    const conditions = [...measure.where, ...where]
    if (conditions.length) parts.push(text(' where '), code(conditions.map(conditionText).join(' and ')))
    parts.push(text(`: ${measure.description}`))
  } catch {
    parts.push(text(' (unknown measure)'))
  }
  return parts
}

function conditionText(c: Condition): string {
  const value =
    c.value === undefined ? '' : ` ${Array.isArray(c.value) ? `(${c.value.join(', ')})` : String(c.value)}`
  return `${c.dimension} ${c.op}${value}`
}

function windowText(window: Window | undefined): string | undefined {
  return window
    ? `trailing ${window.count} ${window.unit}${window.count === 1 ? '' : 's'} ending at each period end`
    : undefined
}

/** The type-specific definition: ratio numerator/denominator, retention lookback, conversion window… */
export function definitionFacts(catalog: Catalog, metric: Metric): DefinitionFact[] {
  const facts: DefinitionFact[] = []
  const fact = (term: string, ...parts: DefinitionFact['parts']) => facts.push({ term, parts })
  switch (metric.type) {
    case 'simple': {
      fact('Measure', ...measureParts(catalog, metric.measure, metric.where))
      const w = windowText(metric.window)
      if (w) fact('Window', text(w))
      break
    }
    case 'ratio': {
      fact('Numerator', ...measureParts(catalog, metric.numerator.measure, metric.numerator.where))
      fact('Denominator', ...measureParts(catalog, metric.denominator.measure, metric.denominator.where))
      fact('Computed as', text('Σ numerator ÷ Σ denominator over the period (a ratio of sums; ÷ 0 is empty)'))
      const w = windowText(metric.window)
      if (w) fact('Window', text(w))
      break
    }
    case 'derived':
      fact('Formula', code(metric.formula))
      break
    case 'period_over_period':
      fact(
        'Compares',
        code(metric.metric),
        text(` with itself ${metric.offset} period${metric.offset === 1 ? '' : 's'} earlier`),
      )
      fact(
        'Computed as',
        text(
          metric.comparison === 'growth'
            ? '(now − then) ÷ then'
            : metric.comparison === 'difference'
              ? 'now − then'
              : 'the earlier value',
        ),
      )
      break
    case 'retention':
      fact('Balance', ...measureParts(catalog, metric.balance))
      fact('Entity', code(metric.entity))
      fact('Lookback', text(`${metric.lookbackMonths} months before each period end`))
      fact(
        'Computed as',
        text(
          metric.kind === 'net'
            ? 'over entities with balance > 0 at the lookback: Σ balance now ÷ Σ balance then'
            : 'over entities with balance > 0 at the lookback: Σ min(balance now, balance then) ÷ Σ balance then',
        ),
      )
      break
    case 'cohort':
      fact('Balance', ...measureParts(catalog, metric.balance))
      fact('Entity', code(metric.entity))
      fact(
        'Cohort',
        text('the period of the entity’s first balance > 0 (time dimension '),
        code(metric.cohortTime),
        text(')'),
      )
      fact(
        'Computed as',
        text('cohort balance at each age (periods_since) ÷ the cohort’s first-period balance'),
      )
      break
    case 'conversion':
      fact('Base', ...measureParts(catalog, metric.base.measure, metric.base.where))
      fact('Conversion', ...measureParts(catalog, metric.conversion.measure, metric.conversion.where))
      fact('Entity', code(metric.entity))
      fact('Window', text(`conversion within ${metric.withinDays} days of the base event`))
      break
  }
  return facts
}
