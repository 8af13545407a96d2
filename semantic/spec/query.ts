import { z } from 'zod'
import { Grain } from './grain.js'

const Identifier = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower_snake_case')
const IsoDate = z.iso.date()

export const QueryFilter = z.object({
  dimension: Identifier,
  op: z.enum(['=', '!=', 'in', 'not in', '>', '>=', '<', '<=']),
  value: z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()])).min(1)]),
})
export type QueryFilter = z.infer<typeof QueryFilter>

/** A metric query: the same shape from the CLI, the HTTP API and the TypeScript API. */
export const MetricQuery = z
  .object({
    metrics: z.array(Identifier).min(1),
    dimensions: z.array(Identifier).default([]),
    grain: Grain.default('month'),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    filters: z.array(QueryFilter).default([]),
    order: z
      .array(z.object({ field: Identifier, direction: z.enum(['asc', 'desc']).default('asc') }))
      .default([]),
    limit: z.number().int().positive().max(1_000_000).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
export type MetricQuery = z.infer<typeof MetricQuery>
export type MetricQueryInput = z.input<typeof MetricQuery>

/** Parses `segment = smb`, `region in (emea, na)`, `amount >= 100` from the CLI's `--where`. */
export function parseFilter(text: string): QueryFilter {
  const match = /^\s*([a-z][a-z0-9_]*)\s*(!=|>=|<=|=|>|<|not in|in)\s*(.+?)\s*$/i.exec(text)
  if (!match)
    throw new Error(`cannot read filter ${JSON.stringify(text)}: expected "<dimension> <op> <value>"`)
  const [, dimension, rawOp, rawValue] = match as unknown as [string, string, string, string]
  const op = rawOp.toLowerCase() as QueryFilter['op']
  const scalar = (v: string): string | number => {
    const unquoted = v.trim().replace(/^'(.*)'$|^"(.*)"$/, '$1$2')
    return /^-?\d+(\.\d+)?$/.test(unquoted) && unquoted === v.trim() ? Number(unquoted) : unquoted
  }
  if (op === 'in' || op === 'not in') {
    const list = rawValue
      .replace(/^\((.*)\)$/, '$1')
      .split(',')
      .map(scalar)
    return QueryFilter.parse({ dimension, op, value: list })
  }
  const value = scalar(rawValue)
  return QueryFilter.parse({
    dimension,
    op,
    value: value === 'true' ? true : value === 'false' ? false : value,
  })
}
