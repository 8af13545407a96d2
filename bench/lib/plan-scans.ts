/** Which tables and columns a DuckDB query plan reads (pure, so tests can pin it). */

export interface TableScan {
  /** The table's own name (schema and catalog dropped). */
  readonly table: string
  readonly columns: readonly string[]
}

interface PlanNode {
  readonly name?: string
  readonly children?: readonly PlanNode[]
  readonly extra_info?: Readonly<Record<string, unknown>>
}

/**
 * The table scans of an `EXPLAIN (FORMAT JSON)` plan: each scan's table and the columns it reads —
 * its projections plus the columns its pushed-down filters name (a Parquet reader reads those
 * too). `columnsOf` lists a table's columns, so filter text is matched against real names only.
 */
export function planScans(plan: unknown, columnsOf: (table: string) => readonly string[]): TableScan[] {
  const scans: TableScan[] = []
  const visit = (node: PlanNode) => {
    const info = node.extra_info ?? {}
    const table = typeof info.Table === 'string' ? tableName(info.Table) : undefined
    if (table) {
      const projected = listOf(info.Projections)
      const filters = listOf(info.Filters).join(' ')
      const named = columnsOf(table).filter((c) =>
        new RegExp(`(^|[^A-Za-z0-9_])"?${escapeRegExp(c)}"?([^A-Za-z0-9_]|$)`).test(filters),
      )
      scans.push({ table, columns: [...new Set([...projected, ...named])] })
    }
    for (const child of node.children ?? []) visit(child)
  }
  for (const root of Array.isArray(plan) ? plan : [plan]) visit(root as PlanNode)
  return scans
}

/** `"db".physical.fct_x__abc` → `fct_x__abc`. */
export function tableName(qualified: string): string {
  const parts = qualified.match(/"[^"]*"|[^.]+/g) ?? [qualified]
  return (parts.at(-1) as string).replace(/^"|"$/g, '')
}

function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String)
  if (typeof value === 'string') return value.split('\n').filter((s) => s.trim() !== '')
  return []
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Bytes a scan list reads from per-column compressed sizes (a table scanned twice is read twice). */
export function scannedBytes(
  scans: readonly TableScan[],
  columnBytes: (table: string) => ReadonlyMap<string, number>,
): number {
  let total = 0
  for (const scan of scans) {
    const sizes = columnBytes(scan.table)
    for (const column of scan.columns) total += sizes.get(column) ?? 0
  }
  return total
}

/** Athena bills at least 10 MB per query. */
export const ATHENA_MINIMUM_BYTES = 10 * 1024 * 1024
