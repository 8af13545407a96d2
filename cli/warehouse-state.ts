import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import type { BuildInfo } from '../semantic/answer.js'

const RunResults = z.looseObject({
  run_id: z.string().optional(),
  invocation_id: z.string().optional(),
  finished_at: z.string().optional(),
  generated_at: z.string().optional(),
})

/** The last build recorded in the warehouse's artifacts, if there is one. */
export function readBuildInfo(artifactsDir: string): BuildInfo | undefined {
  const file = join(artifactsDir, 'run_results.json')
  if (!existsSync(file)) return undefined
  const parsed = RunResults.safeParse(JSON.parse(readFileSync(file, 'utf8')))
  const finishedAt = parsed.success ? (parsed.data.finished_at ?? parsed.data.generated_at) : undefined
  const id = parsed.success ? (parsed.data.run_id ?? parsed.data.invocation_id) : undefined
  return {
    id: id ?? statSync(file).mtime.toISOString(),
    ...(finishedAt ? { finishedAt } : {}),
  }
}
