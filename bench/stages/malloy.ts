import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBConnection } from '@malloydata/db-duckdb'
import { SingleConnectionRuntime } from '@malloydata/malloy'
import { cellsOf, type MetricRows } from '../lib/compare.js'
import { benchPaths, type StageOptions } from '../lib/paths.js'
import { median } from '../lib/stats.js'

const MODEL = new URL('../malloy/revops.malloy', import.meta.url)

/** The peer's queries: the revops metrics they answer, and the Malloy query that answers them. */
export const MALLOY_QUERIES = [
  {
    name: 'mrr by segment',
    metrics: ['mrr'],
    dimensions: ['segment'],
    query:
      'run: customer_mrr -> { group_by: period is `month`.month, segment is customers.segment; aggregate: mrr is mrr_total }',
  },
  {
    name: 'win rate by segment',
    metrics: ['win_rate'],
    dimensions: ['segment'],
    query:
      'run: opportunities -> { where: close_date != null; group_by: period is close_date.month, segment is customers.segment; aggregate: win_rate }',
  },
  {
    name: 'funnel (leads, MQLs, SQLs)',
    metrics: ['leads', 'mqls', 'sqls'],
    dimensions: [],
    query: 'run: lifecycle -> { group_by: period is entered_at.month; aggregate: leads, mqls, sqls }',
  },
] as const

export interface MalloyTiming {
  readonly name: string
  readonly metrics: readonly string[]
  readonly rows: number
  readonly compileColdMs: number
  readonly compileWarmMs: number
  readonly coldMs: number
  readonly warmMs: number
}

/**
 * Malloy (`@malloydata/malloy` + `@malloydata/db-duckdb`) on the same DuckDB file, offline
 * (`enableExternalAccess: false`, so no extension is fetched). Compile latency is model + query
 * to SQL; a query's latency is compile + run, cold on a fresh connection and then warm.
 */
export async function run(options: StageOptions): Promise<{ version: string; queries: MalloyTiming[] }> {
  const paths = benchPaths(options.work)
  const model = readFileSync(MODEL, 'utf8')
  const open = () => {
    const connection = new DuckDBConnection({
      name: 'duckdb',
      databasePath: paths.warehouse,
      readOnly: true,
      enableExternalAccess: false,
    })
    return { connection, runtime: new SingleConnectionRuntime({ connection }) }
  }
  const timings: MalloyTiming[] = []
  const answers: Record<string, MetricRows> = {}
  for (const q of MALLOY_QUERIES) {
    const compiler = open()
    let compileColdMs = Number.NaN
    const compiles: number[] = []
    try {
      const compileStarted = performance.now()
      await compiler.runtime.loadModel(model).loadQuery(q.query).getSQL()
      compileColdMs = performance.now() - compileStarted
      for (let i = 0; i < Math.max(options.repeat, 5); i++) {
        const started = performance.now()
        await compiler.runtime.loadModel(model).loadQuery(q.query).getSQL()
        compiles.push(performance.now() - started)
      }
    } finally {
      await compiler.connection.close()
    }
    // A fresh connection (and DuckDB instance) for the cold answer.
    const fresh = open()
    try {
      const started = performance.now()
      const result = await fresh.runtime.loadModel(model).loadQuery(q.query).run({ rowLimit: 1_000_000 })
      const coldMs = performance.now() - started
      const warm: number[] = []
      for (let r = 0; r < options.repeat; r++) {
        const again = performance.now()
        await fresh.runtime.loadModel(model).loadQuery(q.query).run({ rowLimit: 1_000_000 })
        warm.push(performance.now() - again)
      }
      const rows = result.data.toObject() as Record<string, unknown>[]
      for (const metric of q.metrics) {
        answers[metric] = {
          metric,
          dimensions: [...q.dimensions],
          rows: cellsOf(rows),
        }
      }
      timings.push({
        name: q.name,
        metrics: [...q.metrics],
        rows: rows.length,
        compileColdMs,
        compileWarmMs: median(compiles),
        coldMs,
        warmMs: median(warm),
      })
    } finally {
      await fresh.connection.close()
    }
  }
  mkdirSync(paths.answers, { recursive: true })
  writeFileSync(join(paths.answers, 'malloy.json'), JSON.stringify(answers))
  const { version } = JSON.parse(
    readFileSync(new URL('../../node_modules/@malloydata/malloy/package.json', import.meta.url), 'utf8'),
  ) as { version: string }
  return { version, queries: timings }
}
