/** Compares metric answers from two producers cell by cell (pure, so tests can pin it). */

export type Cell = string | number | boolean | null
export type AnswerRow = Readonly<Record<string, Cell>>

/** One producer's answer to one metric: its rows keyed by `period` and the listed dimensions. */
export interface MetricRows {
  readonly metric: string
  readonly dimensions: readonly string[]
  readonly rows: readonly AnswerRow[]
}

export interface Disagreement {
  readonly key: string
  readonly ours: Cell
  readonly theirs: Cell
}

export interface MetricComparison {
  readonly metric: string
  /** Keys present on either side. */
  readonly cells: number
  readonly agreeing: number
  readonly disagreeing: number
  /** The largest relative difference among disagreeing cells (null when none differ by value). */
  readonly worstRelative: number | null
  readonly examples: readonly Disagreement[]
}

export interface Tolerance {
  /** Relative tolerance (default 1e-6). */
  readonly relative?: number
  /** Absolute tolerance, for values near zero (default half a cent). */
  readonly absolute?: number
}

/**
 * Cells agree when both are null/absent/zero, or their numbers agree within tolerance. A key that
 * one side lacks counts as null there: a time spine fills empty periods with zeros or nulls on
 * one side and leaves them out on the other, and that is not a disagreement about a number.
 */
export function compareMetric(
  ours: MetricRows,
  theirs: MetricRows,
  tolerance: Tolerance = {},
  maxExamples = 5,
): MetricComparison {
  const dimensions = ours.dimensions.filter((d) => theirs.dimensions.includes(d))
  const index = (answer: MetricRows) => {
    const map = new Map<string, Cell>()
    for (const row of answer.rows) {
      const key = keyOf(row, dimensions)
      const value = row[answer.metric] ?? null
      // Two rows on one key (a dimension only one side groups by) add up.
      const previous = map.get(key)
      map.set(key, previous === undefined ? value : add(previous, value))
    }
    return map
  }
  const a = index(ours)
  const b = index(theirs)
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort()
  let agreeing = 0
  let worst: number | null = null
  const examples: Disagreement[] = []
  for (const key of keys) {
    const x = a.get(key) ?? null
    const y = b.get(key) ?? null
    if (sameValue(x, y, tolerance)) {
      agreeing++
      continue
    }
    const relative = relativeDifference(x, y)
    if (relative !== null && (worst === null || relative > worst)) worst = relative
    if (examples.length < maxExamples) examples.push({ key, ours: x, theirs: y })
  }
  return {
    metric: ours.metric,
    cells: keys.length,
    agreeing,
    disagreeing: keys.length - agreeing,
    worstRelative: worst,
    examples,
  }
}

export function keyOf(row: AnswerRow, dimensions: readonly string[]): string {
  const period = normalizePeriod(row.period ?? null)
  return [period, ...dimensions.map((d) => `${d}=${row[d] ?? '∅'}`)].join(' ')
}

/** `YYYY-MM-DD` from a date string, an ISO timestamp or a Date. */
export function normalizePeriod(value: Cell | Date): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if (typeof value === 'string') return value.slice(0, 10)
  return String(value)
}

export function sameValue(x: Cell, y: Cell, tolerance: Tolerance = {}): boolean {
  const nx = emptyNumber(x)
  const ny = emptyNumber(y)
  if (nx === null && ny === null) return true
  if (typeof x === 'string' || typeof y === 'string') return x === y
  const a = nx ?? 0
  const b = ny ?? 0
  const absolute = tolerance.absolute ?? 0.005
  const relative = tolerance.relative ?? 1e-6
  return Math.abs(a - b) <= Math.max(absolute, relative * Math.max(Math.abs(a), Math.abs(b)))
}

/** Null for "nothing there" (null or zero); the number otherwise. */
function emptyNumber(value: Cell): number | null {
  if (value === null) return null
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'string') return value === '' ? null : Number.NaN
  return value === 0 ? null : value
}

function relativeDifference(x: Cell, y: Cell): number | null {
  if (typeof x !== 'number' || typeof y !== 'number') return null
  const scale = Math.max(Math.abs(x), Math.abs(y))
  return scale === 0 ? 0 : Math.abs(x - y) / scale
}

function add(a: Cell, b: Cell): Cell {
  if (typeof a === 'number' && typeof b === 'number') return a + b
  return a ?? b
}

/** Rows as JSON-safe cells (a bigint becomes a number; anything else not a cell becomes text). */
export function cellsOf(rows: readonly Readonly<Record<string, unknown>>[]): AnswerRow[] {
  return rows.map((row) => {
    const out: Record<string, Cell> = {}
    for (const [key, value] of Object.entries(row)) {
      if (value instanceof Date) out[key] = value.toISOString().slice(0, 10)
      else if (typeof value === 'bigint') out[key] = Number(value)
      else if (value === null || value === undefined) out[key] = null
      else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        out[key] = value
      else out[key] = String(value)
    }
    return out
  })
}
