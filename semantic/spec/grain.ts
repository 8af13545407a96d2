import { z } from 'zod'

/** Query grains. Quarter and year follow the fiscal calendar (`fiscalYearStartMonth`). */
export const GRAINS = ['day', 'week', 'month', 'quarter', 'year'] as const
export const Grain = z.enum(GRAINS)
export type Grain = z.infer<typeof Grain>

const ORDER: Record<Grain, number> = { day: 0, week: 1, month: 2, quarter: 3, year: 4 }

/** True when `a` is coarser than or equal to `b` (a quarter holds whole months; a week does not). */
export function isCoarserOrEqual(a: Grain, b: Grain): boolean {
  if (a === 'week' || b === 'week') return a === b || b === 'day'
  return ORDER[a] >= ORDER[b]
}
