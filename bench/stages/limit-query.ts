import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDbEngine } from '../../core/engines/duckdb-engine.js'
import { cellsOf, type MetricRows } from '../lib/compare.js'
import { benchPaths, type StageOptions } from '../lib/paths.js'
import { parseSqlScript } from '../lib/sql-script.js'
import { median } from '../lib/stats.js'

export const LIMIT_METRICS = new URL('../baseline/metrics.sql', import.meta.url)

export interface LimitQueryTiming {
  readonly metric: string
  readonly rows: number
  readonly coldMs: number
  readonly warmMs: number
}

/** The limit's metric answers: each hand-written query of bench/baseline/metrics.sql, cold then warm. */
export async function run(options: StageOptions): Promise<{ queries: LimitQueryTiming[] }> {
  const paths = benchPaths(options.work)
  const blocks = parseSqlScript(readFileSync(LIMIT_METRICS, 'utf8'), 'metric')
  const timings: LimitQueryTiming[] = []
  const answers: Record<string, MetricRows> = {}
  for (const block of blocks) {
    const sql = block.statements.join(';\n')
    const engine = await DuckDbEngine.open({ path: paths.limitWarehouse, readOnly: true })
    try {
      const started = performance.now()
      const { rows, columns } = await engine.run(sql, [], { label: `limit ${block.name}` })
      const coldMs = performance.now() - started
      const warm: number[] = []
      for (let r = 0; r < options.repeat; r++) {
        const again = performance.now()
        await engine.run(sql, [], { label: `limit ${block.name}` })
        warm.push(performance.now() - again)
      }
      const dimensions = columns.map((c) => c.name).filter((n) => n !== 'period' && n !== block.name)
      answers[block.name] = { metric: block.name, dimensions, rows: cellsOf(rows) }
      timings.push({ metric: block.name, rows: rows.length, coldMs, warmMs: median(warm) })
    } finally {
      await engine.close()
    }
  }
  mkdirSync(paths.answers, { recursive: true })
  writeFileSync(join(paths.answers, 'limit.json'), JSON.stringify(answers))
  return { queries: timings }
}
