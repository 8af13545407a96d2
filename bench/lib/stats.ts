/** Latency and size summaries for the benchmark (pure, so tests can pin them). */

export interface Summary {
  readonly n: number
  readonly p50: number
  readonly p95: number
  readonly max: number
  readonly total: number
}

/** The p-th percentile (0–100) by linear interpolation between closest ranks; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = (p / 100) * (sorted.length - 1)
  const low = Math.floor(rank)
  const high = Math.ceil(rank)
  const a = sorted[low] as number
  const b = sorted[high] as number
  return a + (b - a) * (rank - low)
}

export function summarize(values: readonly number[]): Summary {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    max: values.length ? Math.max(...values) : Number.NaN,
    total: values.reduce((sum, v) => sum + v, 0),
  }
}

/** The median of a few repeated runs: the warm figure of one query. */
export function median(values: readonly number[]): number {
  return percentile(values, 50)
}

/** ours ÷ theirs, or null when either side is missing or the baseline is zero. */
export function ratio(ours: number | null | undefined, theirs: number | null | undefined): number | null {
  if (ours === null || ours === undefined || theirs === null || theirs === undefined) return null
  if (!Number.isFinite(ours) || !Number.isFinite(theirs) || theirs === 0) return null
  return ours / theirs
}
