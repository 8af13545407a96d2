import { resolve } from 'node:path'

/** Where a local warehouse keeps its parts: the lake folder, the DuckDB file and build artifacts. */
export interface WarehousePaths {
  readonly dir: string
  readonly lake: string
  readonly duckdb: string
  readonly artifacts: string
}

export const DEFAULT_WAREHOUSE_DIR = '.revops'

export function warehousePaths(dir: string): WarehousePaths {
  const root = resolve(dir)
  return {
    dir: root,
    lake: resolve(root, 'lake'),
    duckdb: resolve(root, 'warehouse.duckdb'),
    artifacts: resolve(root, 'artifacts'),
  }
}
