import { UserError } from '../../core/errors.js'
import type { Model } from './define-model.js'
import type { ProjectGraph } from './graph.js'

/**
 * Selectors, dbt-style: `name`, `name+` (and everything downstream), `+name` (and everything
 * upstream), `+name+`, and `state:modified` (models whose code fingerprint differs from what the
 * environment shows, or that it does not show yet), which takes `+` too. Several selectors
 * (space or comma separated) select the union. No selector selects every model.
 */
export function selectModels(
  graph: ProjectGraph,
  selectors: readonly string[] | undefined,
  isModified: (model: Model) => boolean,
): Set<string> {
  const all = graph.models.map((m) => m.name)
  const terms = (selectors ?? []).flatMap((s) => s.split(/[\s,]+/)).filter((s) => s.length > 0)
  if (terms.length === 0) return new Set(all)
  const selected = new Set<string>()
  for (const term of terms) {
    const match = /^(\+?)([^+]+)(\+?)$/.exec(term)
    if (!match)
      throw new UserError(`invalid selector ${JSON.stringify(term)}`, {
        hint: 'use model, model+, +model or state:modified',
      })
    const [, up, body = '', down] = match
    const roots =
      body === 'state:modified'
        ? graph.models.filter(isModified).map((m) => m.name)
        : body.includes(':')
          ? unknownMethod(body)
          : [graph.model(body).name]
    for (const root of roots) {
      selected.add(root)
      if (up) for (const name of walk(root, (n) => graph.upstream(n))) selected.add(name)
      if (down) for (const name of walk(root, (n) => graph.downstream(n))) selected.add(name)
    }
  }
  return selected
}

function unknownMethod(body: string): never {
  throw new UserError(`unknown selector method ${JSON.stringify(body)}`, {
    hint: 'the method is state:modified',
  })
}

function walk(root: string, next: (name: string) => readonly Model[]): Set<string> {
  const seen = new Set<string>()
  const stack = [root]
  while (stack.length > 0) {
    for (const model of next(stack.pop() as string)) {
      if (!seen.has(model.name)) {
        seen.add(model.name)
        stack.push(model.name)
      }
    }
  }
  return seen
}
