import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import type { BuildInfo } from '../semantic/answer.js'

/** The part of the framework's run_results.json that names a build. */
const RunResults = z.looseObject({ finishedAt: z.string().optional() })

/**
 * The last build recorded in the warehouse's artifacts, if there is one. Its id is its finish
 * instant: builds do not overlap on one warehouse, so the instant names the build.
 */
export function readBuildInfo(artifactsDir: string): BuildInfo | undefined {
  const file = join(artifactsDir, 'run_results.json')
  if (!existsSync(file)) return undefined
  const parsed = RunResults.safeParse(JSON.parse(readFileSync(file, 'utf8')))
  const finishedAt = parsed.success ? parsed.data.finishedAt : undefined
  return { id: finishedAt ?? statSync(file).mtime.toISOString(), ...(finishedAt ? { finishedAt } : {}) }
}
