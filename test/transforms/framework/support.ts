import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDbEngine } from '../../../core/engines/duckdb-engine.js'
import type { Engine, QueryResult, Row, RunOptions, SqlValue } from '../../../core/engines/engine.js'
import { LocalLakeStore } from '../../../core/lake/local-lake-store.js'
import type { SqlDialect } from '../../../core/sql/dialect.js'
import {
  type BuildOptions,
  build,
  createGraph,
  localLakeSources,
  type Model,
  type RunResults,
  Target,
} from '../../../transforms/framework/index.js'

/** A warehouse in a temp folder: a local lake, a DuckDB file, an artifacts folder. */
export interface Warehouse {
  readonly dir: string
  readonly lake: LocalLakeStore
  readonly engine: DuckDbEngine
  readonly target: Target
  readonly artifacts: string
  /** Every statement the target ran, in order. */
  readonly statements: string[]
  build(models: readonly Model[], options?: Partial<BuildOptions>): Promise<RunResults>
  query<R = Row>(sql: string): Promise<R[]>
  close(): Promise<void>
}

export async function openWarehouse(
  options: { dialect?: (engine: Engine) => SqlDialect } = {},
): Promise<Warehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'revops-transforms-'))
  const engine = await DuckDbEngine.open({ path: join(dir, 'warehouse.duckdb') })
  const statements: string[] = []
  // The real DuckDB engine, with every statement recorded (and, for batching tests, other limits).
  const recording: Engine = {
    dialect: options.dialect?.(engine) ?? engine.dialect,
    run<R = Row>(
      sql: string,
      params?: readonly SqlValue[],
      runOptions?: RunOptions,
    ): Promise<QueryResult<R>> {
      statements.push(sql)
      return engine.run<R>(sql, params, runOptions)
    },
    close: () => engine.close(),
  }
  const target = new Target(recording)
  const lakeDir = join(dir, 'lake')
  const artifacts = join(dir, 'artifacts')
  return {
    dir,
    lake: new LocalLakeStore(lakeDir),
    engine,
    target,
    artifacts,
    statements,
    build: (models, more = {}) =>
      build({ target, graph: createGraph(models), sources: localLakeSources(lakeDir), artifacts, ...more }),
    query: async <R = Row>(sql: string) => (await engine.run<R>(sql)).rows,
    close: async () => {
      await engine.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** The result of one model in a run. */
export function resultOf(results: RunResults, model: string) {
  const found = results.models.find((m) => m.model === model)
  if (!found) throw new Error(`no result for ${model}`)
  return found
}
