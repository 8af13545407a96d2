import type { Writable } from 'node:stream'

export type Cell = string | number | bigint | boolean | null | undefined

/** A plain-text table with right-aligned numbers, for terminals and logs. */
export function formatTable(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => row.map(formatCell))
  const widths = columns.map((c, i) => Math.max(c.length, ...text.map((r) => (r[i] ?? '').length)))
  const numeric = columns.map(
    (_, i) =>
      rows.length > 0 &&
      rows.every((r) => r[i] == null || typeof r[i] === 'number' || typeof r[i] === 'bigint'),
  )
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)].join('\n')
}

function formatCell(value: Cell): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : String(Math.round(value * 10000) / 10000)
  return String(value)
}

export function writeJson(out: Writable, value: unknown): void {
  out.write(`${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`)
}
