/**
 * Runs one benchmark stage in this process and writes its result, wall seconds of the work and
 * the process's peak RSS to a JSON file — one process per stage, so each peak is the stage's own:
 *
 *   node --import tsx bench/stage.ts <stage> '<options JSON>' <result file>
 */
import { writeFileSync } from 'node:fs'
import type { StageOptions } from './lib/paths.js'

const STAGES = {
  generate: () => import('./stages/generate.js'),
  land: () => import('./stages/land.js'),
  'limit-land': () => import('./stages/limit-land.js'),
  build: () => import('./stages/build.js'),
  'limit-build': () => import('./stages/limit-build.js'),
  query: () => import('./stages/query.js'),
  'limit-query': () => import('./stages/limit-query.js'),
  malloy: () => import('./stages/malloy.js'),
  'athena-bytes': () => import('./stages/athena-bytes.js'),
  'next-day': () => import('./stages/next-day.js'),
} as const
export type StageName = keyof typeof STAGES

export interface StageResult<T = unknown> {
  readonly stage: string
  readonly seconds: number
  readonly maxRssBytes: number
  readonly value: T
}

const [name, json, out] = process.argv.slice(2)
if (!name || !json || !out || !(name in STAGES)) {
  process.stderr.write(`usage: stage.ts <${Object.keys(STAGES).join('|')}> <options JSON> <result file>\n`)
  process.exit(2)
}
const options = JSON.parse(json) as StageOptions & Record<string, unknown>
const { run } = (await STAGES[name as StageName]()) as {
  run: (options: StageOptions & Record<string, unknown>) => Promise<unknown>
}
const started = performance.now()
const value = await run(options)
const result: StageResult = {
  stage: name,
  seconds: (performance.now() - started) / 1000,
  // maxRSS is in kibibytes on Linux and macOS.
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  value,
}
writeFileSync(out, `${JSON.stringify(result)}\n`)
// DuckDB's native threads must not keep a finished stage alive.
process.exit(0)
