/**
 * Builds the CRM and marketing models on DuckDB over the demo company and prints each model's
 * build time and rows, the total and peak memory. Stripe is not landed: the billing models build
 * empty, so the timings are the CRM side's.
 *
 *   npx tsx bench/crm-models.ts [--scale 100] [--dir <folder to keep and reuse>]
 *
 * With --dir, the generated exports and the landed lake are kept and reused by the next run, so a
 * second run measures the build alone (a fresh DuckDB file each time).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { DuckDbEngine } from '../core/engines/duckdb-engine.js'
import { LocalLakeStore } from '../core/lake/local-lake-store.js'
import { generateDemo } from '../sources/demo/generate-demo.js'
import { landFiles } from '../sources/landing/land-files.js'
import { build, createGraph, localLakeSources, Target } from '../transforms/framework/index.js'
import { crmModels } from '../transforms/models/crm.js'

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '100' }, dir: { type: 'string' } },
})
const scale = Number(values.scale)
const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'revops-bench-crm-'))
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1)
const peakRss = () => `${((process.resourceUsage().maxRSS * 1024) / 1024 / 1024).toFixed(0)} MiB`

const demo = join(dir, 'demo')
const lake = join(dir, 'lake')
if (!existsSync(join(demo, '_truth'))) {
  const started = performance.now()
  await generateDemo({ scale, seed: 42, outDir: demo })
  console.log(`generated scale ${scale} in ${seconds(started)} s`)
}
if (!existsSync(lake)) {
  for (const source of ['salesforce', 'hubspot', 'ads', 'finance'] as const) {
    const started = performance.now()
    const landed = await landFiles(new LocalLakeStore(lake), { source, from: join(demo, source) })
    console.log(
      `landed ${source}: ${landed.totals.landed.toLocaleString('en-US')} records in ${seconds(started)} s`,
    )
  }
}
const database = join(dir, `bench-${Date.now()}.duckdb`)
const engine = await DuckDbEngine.open({ path: database })
const started = performance.now()
try {
  const run = await build({
    target: new Target(engine),
    graph: createGraph(crmModels),
    sources: localLakeSources(lake),
    threads: 2,
    onEvent: (event) => {
      if (event.kind === 'model_started')
        console.log(`${seconds(started).padStart(7)} s  start ${event.model}`)
      if (event.kind === 'model_finished')
        console.log(
          `${seconds(started).padStart(7)} s  done  ${event.result.model} (${event.result.seconds.toFixed(1)} s)`,
        )
    },
  })
  for (const m of [...run.models].sort((a, b) => b.seconds - a.seconds)) {
    const failed = m.tests.filter((t) => t.status !== 'pass').map((t) => `${t.name}:${t.status}`)
    console.log(
      `${m.model.padEnd(42)} ${m.seconds.toFixed(1).padStart(6)} s ${String(m.rows ?? '').padStart(11)} rows ${m.status}${failed.length ? ` ${failed.join(' ')}` : ''}`,
    )
  }
  console.log(
    `built ${run.models.length} models in ${seconds(started)} s, ok=${run.ok}, peak RSS ${peakRss()}`,
  )
} finally {
  await engine.close()
  rmSync(database, { force: true })
  if (values.dir === undefined) rmSync(dir, { recursive: true, force: true })
}
