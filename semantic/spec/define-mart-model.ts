import type { z } from 'zod'
import { defineSemanticModel, type SemanticModel, type SemanticModelInput } from './semantic-model.js'

type Column<S extends z.ZodObject> = keyof z.output<S> & string

type Typed<T, S extends z.ZodObject> = T extends { column: string }
  ? Omit<T, 'column'> & { column: Column<S> }
  : T extends { column?: string }
    ? Omit<T, 'column'> & { column?: Column<S> }
    : T

type MeasureInput<S extends z.ZodObject> = Typed<NonNullable<SemanticModelInput['measures']>[number], S> & {
  periodColumn?: Column<S>
  semantics?:
    | { kind: 'within' }
    | { kind: 'last' }
    | { kind: 'as_of'; at: 'start' | 'end'; validFrom: Column<S>; validTo: Column<S> }
}

export interface MartModelInput<S extends z.ZodObject> {
  readonly name: string
  readonly table: string
  readonly description: string
  readonly entities?: Typed<NonNullable<SemanticModelInput['entities']>[number], S>[]
  readonly dimensions?: Typed<NonNullable<SemanticModelInput['dimensions']>[number], S>[]
  readonly timeDimensions?: Typed<NonNullable<SemanticModelInput['timeDimensions']>[number], S>[]
  readonly defaultTime?: string
  readonly measures?: MeasureInput<S>[]
}

/**
 * A semantic model over a mart whose columns are its zod contract: every column it names is
 * checked by `tsc` against the contract, so renaming a mart column breaks the build here too.
 */
export function defineMartModel<S extends z.ZodObject>(contract: S, input: MartModelInput<S>): SemanticModel {
  const known = new Set(Object.keys(contract.shape))
  const used = [
    ...(input.entities ?? []).map((e) => e.column),
    ...(input.dimensions ?? []).map((d) => d.column),
    ...(input.timeDimensions ?? []).map((t) => t.column),
    ...(input.measures ?? []).flatMap((m) => [
      m.column,
      m.periodColumn,
      ...(m.semantics?.kind === 'as_of' ? [m.semantics.validFrom, m.semantics.validTo] : []),
    ]),
  ].filter((c): c is string => c !== undefined)
  const missing = used.filter((c) => !known.has(c))
  if (missing.length)
    throw new Error(`semantic model ${input.name}: ${input.table} has no column ${missing.join(', ')}`)
  return defineSemanticModel(input as SemanticModelInput)
}
