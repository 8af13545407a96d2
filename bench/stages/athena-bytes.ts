import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDbEngine } from '../../core/engines/duckdb-engine.js'
import type { SqlValue } from '../../core/engines/engine.js'
import { DuckDbDialect } from '../../core/sql/duckdb/duckdb-dialect.js'
import { compileMetricQuery } from '../../semantic/answer.js'
import { projectCatalog } from '../../semantic/project.js'
import { catalogQueries } from '../lib/catalog-queries.js'
import { benchPaths, type StageOptions } from '../lib/paths.js'
import { planScans, scannedBytes, type TableScan } from '../lib/plan-scans.js'
import { parseSqlScript } from '../lib/sql-script.js'
import { LIMIT_METRICS } from './limit-query.js'

export interface QueryBytes {
  readonly metric: string
  readonly bytes: number
  readonly scans: readonly TableScan[]
}

export interface AthenaBytesResult {
  readonly revops: readonly QueryBytes[]
  readonly limit: readonly QueryBytes[]
  /** Parquet (ZSTD) size of every table a query read. */
  readonly tables: Readonly<Record<string, number>>
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`

/**
 * Bytes Athena would scan for each month-grain metric query. The marts are laid out as the Athena
 * build writes them (Iceberg, Parquet, ZSTD; no mart declares partitions, so no partition is
 * pruned): each table a query reads is copied to a ZSTD Parquet file, its per-column compressed
 * sizes read from parquet_metadata, and a query's bytes are the sizes of the columns its DuckDB
 * plan reads (projections and pushed-down filter columns), table by table.
 */
export async function run(options: StageOptions): Promise<AthenaBytesResult> {
  const paths = benchPaths(options.work)
  rmSync(paths.parquet, { recursive: true, force: true })
  mkdirSync(paths.parquet, { recursive: true })
  const tables: Record<string, number> = {}

  const measure = async (
    database: string,
    tag: string,
    queries: readonly { metric: string; sql: string; parameters: readonly SqlValue[] }[],
  ): Promise<QueryBytes[]> => {
    const engine = await DuckDbEngine.open({ path: database, readOnly: true })
    try {
      const columns = new Map<string, string[]>()
      const { rows } = await engine.run(
        `SELECT table_schema AS s, table_name AS t, column_name AS c FROM information_schema.columns
         WHERE table_schema NOT IN ('information_schema', 'pg_catalog') ORDER BY ordinal_position`,
      )
      const schemaOf = new Map<string, string>()
      for (const r of rows) {
        const t = String(r.t)
        schemaOf.set(t, String(r.s))
        columns.set(t, [...(columns.get(t) ?? []), String(r.c)])
      }
      const sizes = new Map<string, Map<string, number>>()
      const columnBytes = async (table: string) => {
        const known = sizes.get(table)
        if (known) return known
        const file = join(paths.parquet, `${tag}__${table}.parquet`)
        await engine.run(
          `COPY (SELECT * FROM "${schemaOf.get(table)}"."${table}") TO ${quote(file)} (FORMAT parquet, COMPRESSION zstd)`,
        )
        const meta = await engine.run(
          `SELECT path_in_schema AS c, sum(total_compressed_size) AS b FROM parquet_metadata(${quote(file)}) GROUP BY 1`,
        )
        const map = new Map(meta.rows.map((r) => [String(r.c), Number(r.b)]))
        sizes.set(table, map)
        tables[`${tag}.${table}`] = [...map.values()].reduce((a, b) => a + b, 0)
        return map
      }
      const results: QueryBytes[] = []
      for (const q of queries) {
        const { rows: plan } = await engine.run(`EXPLAIN (FORMAT JSON) ${q.sql}`, q.parameters)
        const scans = planScans(
          JSON.parse(String(plan[0]?.explain_value ?? '[]')),
          (t) => columns.get(t) ?? [],
        )
        for (const scan of scans) await columnBytes(scan.table)
        results.push({
          metric: q.metric,
          bytes: scannedBytes(scans, (t) => sizes.get(t) ?? new Map()),
          scans,
        })
      }
      return results
    } finally {
      await engine.close()
    }
  }

  const catalog = projectCatalog()
  const dialect = new DuckDbDialect()
  const revops = await measure(
    paths.warehouse,
    'revops',
    catalogQueries(catalog, dialect).map((q) => {
      const { rendered } = compileMetricQuery(catalog, q.input, dialect)
      return { metric: q.metric, sql: rendered.sql, parameters: rendered.parameters as SqlValue[] }
    }),
  )
  const limit = await measure(
    paths.limitWarehouse,
    'limit',
    parseSqlScript(readFileSync(LIMIT_METRICS, 'utf8'), 'metric').map((b) => ({
      metric: b.name,
      sql: b.statements.join(';\n'),
      parameters: [],
    })),
  )
  return { revops, limit, tables }
}
