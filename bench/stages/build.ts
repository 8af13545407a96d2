import { rmSync } from 'node:fs'
import { loadModels } from '../../cli/commands/build.js'
import { DuckDbEngine } from '../../core/engines/duckdb-engine.js'
import { publishGovernedViews } from '../../semantic/governed-views.js'
import { projectCatalog } from '../../semantic/project.js'
import { build, createGraph, localLakeSources, Target } from '../../transforms/framework/index.js'
import { benchPaths, type StageOptions } from '../lib/paths.js'

export interface BuildResult {
  readonly ok: boolean
  readonly buildSeconds: number
  readonly viewsSeconds: number
  readonly built: number
  readonly reused: number
  readonly tests: number
  readonly testsPassed: number
  readonly models: readonly {
    model: string
    status: string
    materialized: string
    seconds: number
    testSeconds: number
    rows: number | null
  }[]
  readonly errors: readonly string[]
}

/**
 * The full build as `revops build` runs it (every model and its data tests, 4 at a time, on a
 * fresh warehouse), then the governed metric views as `revops demo` publishes them. With
 * `next: true` the warehouse is kept: the build after one more day of data.
 */
export async function run(options: StageOptions & { next?: boolean }): Promise<BuildResult> {
  const paths = benchPaths(options.work)
  if (!options.next) {
    rmSync(paths.warehouse, { force: true })
    rmSync(`${paths.warehouse}.wal`, { force: true })
    rmSync(paths.artifacts, { recursive: true, force: true })
  }
  const models = await loadModels()
  const engine = await DuckDbEngine.open({ path: paths.warehouse })
  try {
    const started = performance.now()
    const results = await build({
      target: new Target(engine),
      graph: createGraph(models),
      sources: localLakeSources(paths.lake),
      artifacts: paths.artifacts,
      threads: 4,
    })
    const buildSeconds = (performance.now() - started) / 1000
    const viewsStarted = performance.now()
    if (results.ok) await publishGovernedViews(engine, projectCatalog())
    const viewsSeconds = (performance.now() - viewsStarted) / 1000
    const tests = results.models.flatMap((m) => m.tests)
    return {
      ok: results.ok,
      buildSeconds,
      viewsSeconds,
      built: results.models.filter((m) => m.status === 'success').length,
      reused: results.models.filter((m) => m.status === 'reused').length,
      tests: tests.length,
      testsPassed: tests.filter((t) => t.status === 'pass').length,
      models: results.models.map((m) => ({
        model: m.model,
        status: m.status,
        materialized: m.materialized,
        seconds: m.seconds,
        testSeconds: m.tests.reduce((sum, t) => sum + t.seconds, 0),
        rows: m.rows,
      })),
      errors: results.models.filter((m) => m.error).map((m) => `${m.model}: ${m.error}`),
    }
  } finally {
    await engine.close()
  }
}
