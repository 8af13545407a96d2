import { UserError } from '../../core/errors.js'
import type { Model, Relation } from './define-model.js'
import type { Source } from './define-source.js'

/**
 * The project's DAG, built from the model objects themselves: every model reachable from the
 * registry through `inputs` (and through the relations its tests compare against) is part of
 * it, so a model cannot read something the graph does not know.
 */
export interface ProjectGraph {
  /** Every model, upstream before downstream (ties by name, so the order is stable). */
  readonly models: readonly Model[]
  readonly sources: readonly Source[]
  model(name: string): Model
  has(name: string): boolean
  /** The models a model reads (direct inputs, sources excluded). */
  upstream(name: string): readonly Model[]
  /** The models that read a model directly. */
  downstream(name: string): readonly Model[]
  /** Models that must be finished before this one's tests run: its inputs and its tests' other relations. */
  waitsFor(name: string): readonly Model[]
}

export function createGraph(registry: readonly Model[]): ProjectGraph {
  const models = new Map<string, Model>()
  const sources = new Map<string, Source>()
  const visit = (relation: Relation | undefined, from: string) => {
    if (relation === undefined) {
      throw new UserError(`${from} has an undefined input: a circular import between model files?`)
    }
    if (relation.kind === 'source') {
      const known = sources.get(relation.id)
      if (known !== undefined && known !== relation)
        throw new UserError(`source ${relation.id} is defined twice`)
      sources.set(relation.id, relation)
      return
    }
    const known = models.get(relation.name)
    if (known === relation) return
    if (known !== undefined) throw new UserError(`two different models are named ${relation.name}`)
    models.set(relation.name, relation)
    for (const [alias, input] of Object.entries(relation.inputs))
      visit(input, `model ${relation.name} (input ${alias})`)
    for (const test of relation.tests)
      if (test.other) visit(test.other, `model ${relation.name} (test ${test.name})`)
  }
  for (const model of registry) visit(model, 'the model registry')

  const inputsOf = (m: Model) => Object.values(m.inputs).filter((r): r is Model => r.kind === 'model')
  const waits = (m: Model) =>
    unique([...inputsOf(m), ...m.tests.flatMap((t) => (t.other?.kind === 'model' ? [t.other] : []))])
  const order = topologicalOrder([...models.values()], waits)
  const downstream = new Map<string, Model[]>()
  for (const m of order)
    for (const up of inputsOf(m)) downstream.set(up.name, [...(downstream.get(up.name) ?? []), m])

  const model = (name: string): Model => {
    const found = models.get(name)
    if (found === undefined) {
      const near = [...models.keys()].filter((n) => n.includes(name) || name.includes(n)).slice(0, 3)
      throw new UserError(
        `no model named ${name}`,
        near.length ? { hint: `did you mean ${near.join(', ')}?` } : {},
      )
    }
    return found
  }
  return {
    models: order,
    sources: [...sources.values()].sort((a, b) => a.id.localeCompare(b.id)),
    model,
    has: (name) => models.has(name),
    upstream: (name) => inputsOf(model(name)),
    downstream: (name) => downstream.get(model(name).name) ?? [],
    waitsFor: (name) => waits(model(name)),
  }
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)]
}

/** Kahn's algorithm, names breaking ties; a cycle is reported with its path. */
function topologicalOrder(models: readonly Model[], before: (m: Model) => readonly Model[]): Model[] {
  const pending = new Map(models.map((m) => [m.name, new Set(before(m).map((u) => u.name))]))
  const order: Model[] = []
  const byName = new Map(models.map((m) => [m.name, m]))
  while (pending.size > 0) {
    const ready = [...pending].filter(([, deps]) => deps.size === 0).map(([name]) => name)
    if (ready.length === 0)
      throw new UserError(`models depend on each other in a cycle: ${cyclePath(pending)}`)
    for (const name of ready.sort()) {
      pending.delete(name)
      order.push(byName.get(name) as Model)
      for (const deps of pending.values()) deps.delete(name)
    }
  }
  return order
}

function cyclePath(pending: ReadonlyMap<string, ReadonlySet<string>>): string {
  let at = [...pending.keys()][0] as string
  const path: string[] = []
  while (!path.includes(at)) {
    path.push(at)
    at = [...(pending.get(at) ?? [])][0] as string
  }
  return [...path.slice(path.indexOf(at)), at].reverse().join(' -> ')
}
