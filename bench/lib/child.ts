import { spawn } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { StageName, StageResult } from '../stage.js'
import type { StageOptions } from './paths.js'

const STAGE_FILE = fileURLToPath(new URL('../stage.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Runs a stage in its own Node process (`node --import tsx bench/stage.ts …`) so that its peak
 * RSS is its own; its output goes to `<logs>/<label>.log`. A failed stage throws with the log's end.
 */
export async function runStage<T>(
  stage: StageName,
  label: string,
  options: StageOptions & Record<string, unknown>,
  dirs: { logs: string; results: string },
): Promise<StageResult<T>> {
  mkdirSync(dirs.logs, { recursive: true })
  mkdirSync(dirs.results, { recursive: true })
  const log = join(dirs.logs, `${label}.log`)
  const out = join(dirs.results, `${label}.json`)
  const fd = openSync(log, 'w')
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', STAGE_FILE, stage, JSON.stringify(options), out],
        {
          cwd: ROOT,
          stdio: ['ignore', fd, fd],
          env: { ...process.env, NODE_OPTIONS: '' },
        },
      )
      child.on('error', reject)
      child.on('exit', (status) => resolve(status))
    })
    if (code !== 0) {
      const tail = readFileSync(log, 'utf8').trim().split('\n').slice(-15).join('\n')
      throw new Error(`bench stage ${label} failed (exit ${code}); ${log}:\n${tail}`)
    }
  } finally {
    closeSync(fd)
  }
  return JSON.parse(readFileSync(out, 'utf8')) as StageResult<T>
}
