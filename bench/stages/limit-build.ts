import { readFileSync, rmSync } from 'node:fs'
import { DuckDbEngine } from '../../core/engines/duckdb-engine.js'
import { benchPaths, type StageOptions } from '../lib/paths.js'
import { expandRawReads, parseSqlScript } from '../lib/sql-script.js'

export interface LimitBuildResult {
  readonly steps: readonly { step: string; seconds: number }[]
  readonly tables: Readonly<Record<string, number>>
}

export const LIMIT_MARTS = new URL('../baseline/marts.sql', import.meta.url)
export const LIMIT_TABLES = [
  'customer_mrr_month',
  'customers',
  'opportunities',
  'lifecycle',
  'ad_spend',
] as const

/**
 * The limit for building: bench/baseline/marts.sql on a fresh DuckDB file, reading the landed raw
 * JSON of the lake directly. With `next: true` it runs again on the lake with the next day landed
 * (the script has no incremental mode: it rebuilds everything).
 */
export async function run(options: StageOptions & { next?: boolean }): Promise<LimitBuildResult> {
  const paths = benchPaths(options.work)
  const file = options.next ? paths.limitNextWarehouse : paths.limitWarehouse
  rmSync(file, { force: true })
  rmSync(`${file}.wal`, { force: true })
  const script = parseSqlScript(readFileSync(LIMIT_MARTS, 'utf8'), 'step')
  const engine = await DuckDbEngine.open({ path: file })
  const steps: { step: string; seconds: number }[] = []
  try {
    for (const block of script) {
      const started = performance.now()
      for (const statement of block.statements)
        await engine.run(expandRawReads(statement, paths.lake), [], { label: `limit ${block.name}` })
      steps.push({ step: block.name, seconds: (performance.now() - started) / 1000 })
    }
    const tables: Record<string, number> = {}
    for (const table of LIMIT_TABLES) {
      const { rows } = await engine.run(`SELECT count(*) AS n FROM ${table}`)
      tables[table] = Number(rows[0]?.n ?? 0)
    }
    return { steps, tables }
  } finally {
    await engine.close()
  }
}
