import { z } from 'zod'
import { Grain } from './grain.js'

const Identifier = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower_snake_case')

/**
 * An entity a model's rows belong to. `primary`: one row per key in this model (dimension
 * models are joined through their primary entity, so a join never fans rows out); `foreign`:
 * the key points at another model's primary entity; `natural`: the rows' subject has no model
 * of its own (a lifecycle person), usable for counting and conversion but not for joins.
 */
export const Entity = z.object({
  name: Identifier,
  type: z.enum(['primary', 'foreign', 'natural']),
  column: Identifier,
})
export type Entity = z.infer<typeof Entity>

export const Dimension = z.object({
  name: Identifier,
  column: Identifier,
  type: z.enum(['string', 'boolean', 'number', 'date']).default('string'),
  description: z.string().min(1),
})
export type Dimension = z.infer<typeof Dimension>

/**
 * A time column. `snapshot` marks a table that holds one row per entity per snapshot period
 * (e.g. customer × month-end MRR): measures over it are semi-additive in time.
 */
export const TimeDimension = z.object({
  name: Identifier,
  column: Identifier,
  /** The finest grain the column is meaningful at (a monthly snapshot cannot answer by day). */
  grain: Grain.default('day'),
  description: z.string().min(1),
})
export type TimeDimension = z.infer<typeof TimeDimension>

/** A condition on a column of the model (or a dimension reachable from it): values are parameters. */
export const Condition = z.object({
  dimension: Identifier,
  op: z.enum(['=', '!=', 'in', 'not in', '>', '>=', '<', '<=', 'is null', 'is not null']),
  value: z
    .union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))])
    .optional(),
})
export type Condition = z.infer<typeof Condition>

/**
 * How rows of a measure fall into a period.
 * - `within` (additive): rows whose time is inside the period.
 * - `last` (semi-additive): rows at the period's last snapshot (MRR at quarter grain is the
 *   quarter-end value, never a sum of months); the current, unfinished period reads the latest snapshot.
 * - `as_of`: rows valid at the period's first (`start`) or last (`end`) instant, for history
 *   kept as validity intervals (`valid_from` ≤ t < `valid_to`), e.g. pipeline as of the quarter's first day.
 */
export const TimeSemantics = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('within') }),
  z.object({ kind: z.literal('last') }),
  z.object({
    kind: z.literal('as_of'),
    at: z.enum(['start', 'end']),
    validFrom: Identifier,
    validTo: Identifier,
  }),
])
export type TimeSemantics = z.infer<typeof TimeSemantics>

export const Measure = z.object({
  name: Identifier,
  agg: z.enum(['sum', 'count', 'count_distinct', 'min', 'max', 'average', 'median']),
  /** The column aggregated; `count` may omit it (counts rows). */
  column: Identifier.optional(),
  /** The time dimension that places rows in periods (default: the model's default time dimension). */
  time: Identifier.optional(),
  semantics: TimeSemantics.default({ kind: 'within' }),
  /** Row conditions, all of which must hold. */
  where: z.array(Condition).default([]),
  /**
   * A second date column that must fall inside the period, e.g. close date within the quarter
   * for pipeline measured as of the quarter's start.
   */
  periodColumn: Identifier.optional(),
  description: z.string().min(1),
})
export type Measure = z.infer<typeof Measure>

/** A semantic model: a mart table described as entities, dimensions, time dimensions and measures. */
export const SemanticModel = z
  .object({
    name: Identifier,
    /** The mart model (table) it reads, in the `marts` layer of the environment. */
    table: Identifier,
    description: z.string().min(1),
    entities: z.array(Entity).default([]),
    dimensions: z.array(Dimension).default([]),
    timeDimensions: z.array(TimeDimension).default([]),
    defaultTime: Identifier.optional(),
    measures: z.array(Measure).default([]),
  })
  .superRefine((model, ctx) => {
    const times = new Set(model.timeDimensions.map((t) => t.name))
    if (model.defaultTime && !times.has(model.defaultTime)) {
      ctx.addIssue({ code: 'custom', message: `defaultTime ${model.defaultTime} is not a time dimension` })
    }
    for (const m of model.measures) {
      const time = m.time ?? model.defaultTime
      if (time === undefined)
        ctx.addIssue({ code: 'custom', message: `measure ${m.name} has no time dimension` })
      else if (!times.has(time))
        ctx.addIssue({ code: 'custom', message: `measure ${m.name}: unknown time ${time}` })
      if (m.agg !== 'count' && m.column === undefined) {
        ctx.addIssue({ code: 'custom', message: `measure ${m.name}: ${m.agg} needs a column` })
      }
    }
    const names = [...model.dimensions.map((d) => d.name), ...model.timeDimensions.map((t) => t.name)]
    const dup = names.find((n, i) => names.indexOf(n) !== i)
    if (dup) ctx.addIssue({ code: 'custom', message: `dimension ${dup} is declared twice` })
  })
export type SemanticModel = z.infer<typeof SemanticModel>
export type SemanticModelInput = z.input<typeof SemanticModel>

export function defineSemanticModel(input: SemanticModelInput): SemanticModel {
  const parsed = SemanticModel.safeParse(input)
  if (!parsed.success) {
    throw new Error(`semantic model ${input.name}: ${parsed.error.issues.map((i) => i.message).join('; ')}`)
  }
  return parsed.data
}
