import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { z } from 'zod'
import { LocalLakeStore } from '../../core/lake/local-lake-store.js'
import { answerMetricQuery } from '../../semantic/answer.js'
import { publishGovernedViews } from '../../semantic/governed-views.js'
import { projectCatalog } from '../../semantic/project.js'
import { generateDemo } from '../../sources/demo/generate-demo.js'
import { landFiles } from '../../sources/landing/land-files.js'
import type { LandSummary } from '../../sources/landing/land-report.js'
import type { RunResults } from '../../transforms/framework/run-results.js'
import type { CliContext } from '../context.js'
import { formatTable, writeJson } from '../output.js'
import {
  buildScorecard,
  formatChange,
  formatValue,
  monthName,
  SCORECARD_METRICS,
  type ScorecardLine,
} from '../scorecard.js'
import { loadModels, parseOptions, progressLine } from './build.js'

const DemoOptions = z.object({
  scale: z.coerce.number().positive({ message: '--scale must be a positive number' }).max(1000).default(1),
  seed: z.coerce.number().int({ message: '--seed must be a whole number' }).default(42),
})

const SOURCES = ['stripe', 'salesforce', 'hubspot', 'ads', 'finance'] as const

/**
 * The main job, end to end on the embedded engine: generate the demo company's exports, land
 * them, build every model and its tests, publish the governed metric views, print the KPI
 * scorecard, and write the finance report and the metric docs. Re-running is cheap: the exports
 * are reused, nothing lands twice and unchanged models are not rebuilt.
 */
export async function demo(ctx: CliContext, raw: Record<string, unknown>): Promise<number> {
  const options = parseOptions(DemoOptions, raw)
  const started = performance.now()
  const out = (text: string) => {
    if (!ctx.json) ctx.stdout.write(text)
  }
  out(
    `revops demo: the demo company at scale ${options.scale} (seed ${options.seed}) into ${ctx.paths.dir}\n\n`,
  )

  const exportsDir = join(ctx.paths.dir, 'exports', `scale-${options.scale}-seed-${options.seed}`)
  const generated = await timed(() => ensureExports(ctx, exportsDir, options.scale, options.seed))
  out(
    `1. Exports   ${generated.value ? 'generated' : 'reused'} in ${relative(process.cwd(), exportsDir) || '.'} (${seconds(generated.ms)})\n`,
  )

  const landed = await timed(() => landAll(ctx, exportsDir))
  out(
    `2. Landed    into ${relative(process.cwd(), ctx.paths.lake)} (${seconds(landed.ms)})\n${indent(landTable(landed.value))}\n`,
  )

  const engine = await ctx.openEngine()
  let built: { value: RunResults; ms: number }
  let scorecard: ScorecardLine[] = []
  let views = 0
  try {
    built = await timed(async () => {
      const framework = await import('../../transforms/framework/index.js')
      return framework.build({
        target: new framework.Target(engine),
        graph: framework.createGraph(await loadModels()),
        sources: framework.localLakeSources(ctx.paths.lake),
        artifacts: ctx.paths.artifacts,
        threads: 4,
        onEvent: (event) => ctx.progress(progressLine(event)),
      })
    })
    out(`3. Built     ${buildLine(built.value)} (${seconds(built.ms)})\n`)
    if (!built.value.ok) {
      for (const m of built.value.models.filter((r) => r.error)) ctx.stderr.write(`${m.model}: ${m.error}\n`)
      ctx.stderr.write('revops: the build failed; run `revops build` for the failing models and checks\n')
      return 1
    }
    const catalog = projectCatalog()
    views = await publishGovernedViews(engine, catalog)
    out(
      `4. Metrics   ${views} governed views in the "metrics" schema of ${relative(process.cwd(), ctx.paths.duckdb)}\n`,
    )
    const answer = await answerMetricQuery(
      { metrics: [...SCORECARD_METRICS], grain: 'month' },
      { engine, catalog },
    )
    scorecard = buildScorecard(catalog, answer.rows)
    out(`\n${scorecardTable(scorecard)}\n`)
  } finally {
    await engine.close()
  }

  const totalMs = performance.now() - started
  writeFileSync(
    join(ctx.paths.artifacts, 'demo.json'),
    `${JSON.stringify({ options, scorecard, seconds: totalMs / 1000 }, null, 2)}\n`,
  )
  if (ctx.json) {
    writeJson(ctx.stdout, {
      options,
      exports: exportsDir,
      landed: landed.value.map((s) => ({ source: s.source, ...s.totals })),
      build: { ok: built.value.ok, models: built.value.models.length },
      views,
      scorecard,
      seconds: totalMs / 1000,
    })
  } else {
    out(
      `\nFinished in ${seconds(totalMs)}. Ask more: npx revops query mrr,nrr --by segment --grain quarter\n`,
    )
  }
  return 0
}

async function ensureExports(ctx: CliContext, dir: string, scale: number, seed: number): Promise<boolean> {
  const marker = join(dir, '.complete')
  if (existsSync(marker)) return false
  mkdirSync(dir, { recursive: true })
  ctx.progress('generating the demo company…')
  await generateDemo({ scale, seed, outDir: dir })
  writeFileSync(marker, `${new Date().toISOString()}\n`)
  return true
}

async function landAll(ctx: CliContext, exportsDir: string): Promise<LandSummary[]> {
  const store = new LocalLakeStore(ctx.paths.lake)
  const summaries: LandSummary[] = []
  for (const source of SOURCES) {
    summaries.push(
      await landFiles(store, { source, from: join(exportsDir, source), onProgress: (m) => ctx.progress(m) }),
    )
  }
  return summaries
}

function landTable(summaries: readonly LandSummary[]): string {
  return formatTable(
    ['source', 'landed', 'already landed', 'quarantined'],
    summaries.map((s) => [s.source, s.totals.landed, s.totals.duplicate, s.totals.quarantined]),
  )
}

function buildLine(results: RunResults): string {
  const checks = [...results.models.flatMap((m) => m.tests), ...results.checks]
  const count = (items: readonly { status: string }[], status: string) =>
    items.filter((i) => i.status === status).length
  const models = `${results.models.length} models (${count(results.models, 'success')} built, ${count(results.models, 'reused')} reused)`
  const tests = `${count(checks, 'pass')}/${checks.length} data tests passed${count(checks, 'warn') ? `, ${count(checks, 'warn')} warnings` : ''}`
  return `${models}, ${tests}`
}

function scorecardTable(lines: readonly ScorecardLine[]): string {
  const period = lines[0]?.period
  const heading = period
    ? `KPI scorecard, ${monthName(period)} (change vs the month before)`
    : 'KPI scorecard: no MRR yet'
  return `${heading}\n${indent(
    formatTable(
      ['KPI', 'value', 'change', ''],
      lines.map((l) => [l.label, formatValue(l.value, l.unit), formatChange(l), l.note ?? '']),
    ),
  )}`
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now()
  const value = await work()
  return { value, ms: performance.now() - start }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `   ${l}`)
    .join('\n')
}
