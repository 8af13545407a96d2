import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDbEngine } from '../../core/engines/duckdb-engine.js'
import { DuckDbDialect } from '../../core/sql/duckdb/duckdb-dialect.js'
import { answerMetricQuery, compileMetricQuery } from '../../semantic/answer.js'
import { projectCatalog } from '../../semantic/project.js'
import { catalogQueries, FUNNEL_QUERY } from '../lib/catalog-queries.js'
import { cellsOf, type MetricRows } from '../lib/compare.js'
import { benchPaths, type StageOptions } from '../lib/paths.js'
import { median } from '../lib/stats.js'

export interface QueryTiming {
  readonly metric: string
  readonly bySegment: boolean
  readonly rows: number
  /** The first compile of this metric's query in the process (plan + SQL). */
  readonly compileColdMs: number
  readonly compileWarmMs: number
  /** First answer on a freshly opened database (compile + run + rows), then the median of the repeats. */
  readonly coldMs: number
  readonly warmMs: number
}

/**
 * The whole catalog through the semantic layer as every surface answers it (answerMetricQuery),
 * on the built warehouse: compile latency, then per metric a cold answer on a freshly opened
 * database and `repeat` warm ones. Writes the answers for the agreement checks.
 */
export async function run(options: StageOptions): Promise<{ queries: QueryTiming[] }> {
  const paths = benchPaths(options.work)
  const catalog = projectCatalog()
  const dialect = new DuckDbDialect()
  // The catalog, plus the funnel as the peer asks it: three metrics in one query.
  const queries = [
    ...catalogQueries(catalog, dialect),
    {
      metric: FUNNEL_QUERY,
      input: { metrics: ['leads', 'mqls', 'sqls'], grain: 'month' as const },
      bySegment: false,
    },
  ]
  const compile: { cold: number; warm: number }[] = []
  for (const q of queries) {
    const first = performance.now()
    compileMetricQuery(catalog, q.input, dialect)
    const cold = performance.now() - first
    const warm: number[] = []
    for (let i = 0; i < Math.max(options.repeat, 5); i++) {
      const started = performance.now()
      compileMetricQuery(catalog, q.input, dialect)
      warm.push(performance.now() - started)
    }
    compile.push({ cold, warm: median(warm) })
  }

  const timings: QueryTiming[] = []
  const answers: Record<string, MetricRows> = {}
  for (const [i, q] of queries.entries()) {
    const engine = await DuckDbEngine.open({ path: paths.warehouse, readOnly: true })
    try {
      const started = performance.now()
      const answer = await answerMetricQuery(q.input, { engine, catalog })
      const coldMs = performance.now() - started
      const warm: number[] = []
      for (let r = 0; r < options.repeat; r++) {
        const again = performance.now()
        await answerMetricQuery(q.input, { engine, catalog })
        warm.push(performance.now() - again)
      }
      if (q.metric !== FUNNEL_QUERY)
        answers[q.metric] = { metric: q.metric, dimensions: answer.dimensions, rows: cellsOf(answer.rows) }
      timings.push({
        metric: q.metric,
        bySegment: q.bySegment,
        rows: answer.rows.length,
        compileColdMs: compile[i]?.cold ?? Number.NaN,
        compileWarmMs: compile[i]?.warm ?? Number.NaN,
        coldMs,
        warmMs: median(warm),
      })
    } finally {
      await engine.close()
    }
  }
  mkdirSync(paths.answers, { recursive: true })
  writeFileSync(join(paths.answers, 'revops.json'), JSON.stringify(answers))
  return { queries: timings }
}
