import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { LocalLakeStore } from '../../core/lake/local-lake-store.js'
import { landFiles } from '../../sources/landing/land-files.js'
import { benchPaths, SOURCES, type StageOptions } from '../lib/paths.js'

export interface LandResult {
  readonly sources: readonly {
    source: string
    landed: number
    duplicate: number
    quarantined: number
    seconds: number
    entities: readonly { entity: string; landed: number }[]
  }[]
  readonly landed: number
}

/**
 * Lands the exports into a fresh lake exactly as `revops land` / `revops demo` do (landFiles per
 * source); with `next: true`, lands only the next day's delta files into the existing lake.
 */
export async function run(options: StageOptions & { next?: boolean }): Promise<LandResult> {
  const paths = benchPaths(options.work)
  const from = options.next ? paths.nextDay : paths.exports
  if (!options.next) rmSync(paths.lake, { recursive: true, force: true })
  const store = new LocalLakeStore(paths.lake)
  const sources: LandResult['sources'][number][] = []
  for (const source of SOURCES) {
    const dir = join(from, source)
    if (!existsSync(dir)) continue
    const started = performance.now()
    const summary = await landFiles(store, { source, from: dir })
    sources.push({
      source,
      ...summary.totals,
      seconds: (performance.now() - started) / 1000,
      entities: summary.entities.map((e) => ({ entity: e.entity, landed: e.landed })),
    })
  }
  return { sources, landed: sources.reduce((sum, s) => sum + s.landed, 0) }
}
