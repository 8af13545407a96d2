import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { generateDemo } from '../../sources/demo/generate-demo.js'
import { benchPaths, type StageOptions } from '../lib/paths.js'

export interface GenerateResult {
  /** False when the exports of an earlier run at the same scale and seed were reused. */
  readonly generated: boolean
  readonly files: readonly { file: string; rows: number }[]
}

/** The demo company's exports at the scale (generated once per scale and seed, then reused). */
export async function run(options: StageOptions): Promise<GenerateResult> {
  const { exports } = benchPaths(options.work)
  const marker = join(exports, '.complete')
  const countsFile = join(exports, '.counts.json')
  if (existsSync(marker) && existsSync(countsFile)) {
    return { generated: false, files: JSON.parse(readFileSync(countsFile, 'utf8')) }
  }
  rmSync(exports, { recursive: true, force: true })
  const { files } = await generateDemo({ scale: options.scale, seed: options.seed, outDir: exports })
  const counts = files
    .map((f) => ({ file: relative(exports, f.path), rows: f.rows }))
    .filter((f) => !f.file.startsWith('_truth'))
  writeFileSync(countsFile, `${JSON.stringify(counts, null, 2)}\n`)
  writeFileSync(marker, `${new Date().toISOString()}\n`)
  return { generated: true, files: counts }
}
