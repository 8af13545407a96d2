import { rmSync } from 'node:fs'
import { type NextDayFile, writeNextDay } from '../lib/next-day.js'
import { benchPaths, type StageOptions } from '../lib/paths.js'

/** Writes the next day's delta export files (bench/lib/next-day.ts). */
export async function run(options: StageOptions): Promise<{ files: readonly NextDayFile[]; rows: number }> {
  const paths = benchPaths(options.work)
  rmSync(paths.nextDay, { recursive: true, force: true })
  const files = await writeNextDay(paths.exports, paths.nextDay)
  return { files, rows: files.reduce((sum, f) => sum + f.rows, 0) }
}
