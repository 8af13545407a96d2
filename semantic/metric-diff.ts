import {
  compareCells,
  type MetricSnapshot,
  type SnapshotCut,
  type SnapshotMetric,
  type SnapshotRow,
  VALUE_KEY,
} from './metric-snapshot.js'

type Cell = SnapshotRow[string]

/** One value that differs between two snapshots. */
export interface ValueChange {
  readonly metric: string
  readonly period: string
  /** The cut's dimension values; empty for the metric's total. */
  readonly dimensions: Readonly<Record<string, Cell>>
  readonly before: number | null
  readonly after: number | null
  /** after − before, when both are numbers. */
  readonly change: number | null
  /** `added`: the row exists only after (a new period or dimension value); `removed`: only before. */
  readonly kind: 'changed' | 'added' | 'removed'
}

export interface MetricSummary {
  readonly id: string
  readonly label: string
  readonly unit: string
  readonly status: string
  readonly version: string
}

/** A metric in both snapshots whose values or governance differ. */
export interface MetricChange {
  readonly metric: string
  readonly label: string
  readonly unit: string
  readonly before: MetricSummary
  readonly after: MetricSummary
  /** Governance that changed, as `field: before → after` (version, status, unit, owner, breakdown…). */
  readonly definition: readonly string[]
  /** How many of its values differ. */
  readonly values: number
  /** Values differ but the definition's version is the same: a change that should bump it. */
  readonly versionNotBumped: boolean
  /** The metric could not be answered on one side. */
  readonly error?: { readonly before?: string; readonly after?: string }
}

export interface MetricDiff {
  readonly added: readonly MetricSummary[]
  readonly removed: readonly MetricSummary[]
  readonly metrics: readonly MetricChange[]
  readonly changes: readonly ValueChange[]
}

/**
 * What changed between two snapshots: metrics added and removed, governance that changed, and
 * exactly the values that differ, compared cut by cut (total, and by the same view dimensions).
 * A row present on one side only counts as a change when its value is not null, so a period that
 * exists on both sides without a value is no change. Numbers that agree to 10 significant digits
 * are the same number (see `same`).
 */
export function diffMetricSnapshots(before: MetricSnapshot, after: MetricSnapshot): MetricDiff {
  const beforeById = new Map(before.metrics.map((m) => [m.id, m]))
  const afterIds = new Set(after.metrics.map((m) => m.id))
  const added = after.metrics.filter((m) => !beforeById.has(m.id)).map(summary)
  const removed = before.metrics.filter((m) => !afterIds.has(m.id)).map(summary)
  const metrics: MetricChange[] = []
  const changes: ValueChange[] = []
  for (const next of after.metrics) {
    const previous = beforeById.get(next.id)
    if (!previous) continue
    const definition = governanceChanges(previous, next)
    const valueChanges = diffValues(previous, next)
    const error =
      previous.error === next.error
        ? undefined
        : {
            ...(previous.error ? { before: previous.error } : {}),
            ...(next.error ? { after: next.error } : {}),
          }
    if (definition.length === 0 && valueChanges.length === 0 && !error) continue
    metrics.push({
      metric: next.id,
      label: next.label,
      unit: next.unit,
      before: summary(previous),
      after: summary(next),
      definition,
      values: valueChanges.length,
      versionNotBumped: valueChanges.length > 0 && previous.version === next.version,
      ...(error ? { error } : {}),
    })
    changes.push(...valueChanges)
  }
  return { added, removed, metrics, changes }
}

function summary(m: SnapshotMetric): MetricSummary {
  return { id: m.id, label: m.label, unit: m.unit, status: m.status, version: m.version }
}

function governanceChanges(a: SnapshotMetric, b: SnapshotMetric): string[] {
  const out: string[] = []
  for (const field of ['label', 'owner', 'unit', 'status', 'version', 'policy'] as const) {
    if (a[field] !== b[field]) out.push(`${field}: ${a[field] ?? 'none'} → ${b[field] ?? 'none'}`)
  }
  const breakdown = (m: SnapshotMetric) =>
    m.cuts
      .map((c) => c.dimensions.join(', '))
      .filter(Boolean)
      .join('; ') || 'none'
  if (!a.error && !b.error && breakdown(a) !== breakdown(b))
    out.push(`breakdown: ${breakdown(a)} → ${breakdown(b)}`)
  return out
}

/** Value changes of the cuts both sides have (same dimensions), in period then dimension order. */
function diffValues(a: SnapshotMetric, b: SnapshotMetric): ValueChange[] {
  const out: ValueChange[] = []
  for (const cut of b.cuts) {
    const other = a.cuts.find((c) => sameList(c.dimensions, cut.dimensions))
    if (other) out.push(...diffCut(b.id, other, cut))
  }
  return out
}

function diffCut(metric: string, before: SnapshotCut, after: SnapshotCut): ValueChange[] {
  const keyColumns = ['period', ...after.dimensions]
  const key = (row: SnapshotRow) => JSON.stringify(keyColumns.map((c) => row[c] ?? null))
  const previous = new Map(before.rows.map((r) => [key(r), r]))
  const seen = new Set<string>()
  const rows: { row: SnapshotRow; change: ValueChange }[] = []
  const push = (row: SnapshotRow, was: SnapshotRow | undefined, now: SnapshotRow | undefined) => {
    const b = numeric(was?.[VALUE_KEY])
    const n = numeric(now?.[VALUE_KEY])
    if (same(b, n)) return
    rows.push({
      row,
      change: {
        metric,
        period: String(row.period),
        dimensions: Object.fromEntries(after.dimensions.map((d) => [d, row[d] ?? null])),
        before: b,
        after: n,
        change: b === null || n === null ? null : difference(b, n),
        kind: was === undefined ? 'added' : now === undefined ? 'removed' : 'changed',
      },
    })
  }
  for (const row of after.rows) {
    const k = key(row)
    seen.add(k)
    push(row, previous.get(k), row)
  }
  for (const row of before.rows) if (!seen.has(key(row))) push(row, row, undefined)
  return rows
    .sort((x, y) => {
      for (const c of keyColumns) {
        const order = compareCells(x.row[c] ?? null, y.row[c] ?? null)
        if (order !== 0) return order
      }
      return 0
    })
    .map((r) => r.change)
}

/**
 * Two builds of the same data may add in a different order (DuckDB sums in parallel), so the last
 * of the 12 significant digits an answer carries (semantic/answer.ts) can differ between two
 * warehouses, and a sum that should be 0 can come out a few 1e-12 off. Numbers within one part in
 * 10^10 of each other, or 1e-9 apart, are the same number: a cent in a hundred million dollars.
 */
export function same(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b
  return Math.abs(a - b) <= Math.max(1e-9, 1e-10 * Math.max(Math.abs(a), Math.abs(b)))
}

/** after − before without float noise: to as many decimals as the two values carry. */
function difference(before: number, after: number): number {
  const places = Math.max(decimals(before), decimals(after))
  return Number.isFinite(places) ? Number((after - before).toFixed(Math.min(places, 20))) : after - before
}

function decimals(value: number): number {
  const text = String(value)
  if (/e/i.test(text)) return Number.POSITIVE_INFINITY
  const dot = text.indexOf('.')
  return dot < 0 ? 0 : text.length - dot - 1
}

function numeric(value: Cell | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}
