import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { isAbsolute, join, relative } from 'node:path'
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
import { writeDocs } from './docs.js'
import { writeRetentionReport } from './report.js'

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
    `1. Exports   ${generated.value ? 'generated' : 'reused'} in ${shown(exportsDir) || '.'} (${seconds(generated.ms)})\n`,
  )

  const landed = await timed(() => landAll(ctx, exportsDir))
  out(
    `2. Landed    into ${shown(ctx.paths.lake)} (${seconds(landed.ms)})\n${indent(landTable(landed.value))}\n`,
  )

  const engine = await ctx.openEngine()
  let built: { value: RunResults; ms: number }
  let scorecard: ScorecardLine[] = []
  let views = 0
  const reportFile = join(ctx.paths.dir, 'reports', 'retention.html')
  const docsDir = join(ctx.paths.dir, 'docs')
  let docsIndex = ''
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
    out(`4. Metrics   ${views} governed views in the "metrics" schema of ${shown(ctx.paths.duckdb)}\n`)
    const answer = await answerMetricQuery(
      { metrics: [...SCORECARD_METRICS], grain: 'month' },
      { engine, catalog },
    )
    scorecard = buildScorecard(catalog, answer.rows)
    out(`\n${scorecardTable(scorecard)}\n\n`)
    ctx.progress('writing the retention report and the metric docs…')
    await writeRetentionReport(engine, ctx.paths.artifacts, reportFile)
    docsIndex = (await writeDocs(docsDir)).index
    out(`5. Report    finance revenue retention: ${shown(reportFile)}\n`)
    out(`6. Docs      metric catalog and lineage: ${shown(docsIndex)}\n`)
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
      build: buildCounts(built.value),
      views,
      scorecard,
      report: reportFile,
      docs: docsIndex,
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

function buildCounts(results: RunResults) {
  const checks = [...results.models.flatMap((m) => m.tests), ...results.checks]
  const count = (items: readonly { status: string }[], status: string) =>
    items.filter((i) => i.status === status).length
  return {
    ok: results.ok,
    models: results.models.length,
    built: count(results.models, 'success'),
    reused: count(results.models, 'reused'),
    tests: checks.length,
    passed: count(checks, 'pass'),
    warnings: count(checks, 'warn'),
  }
}

function buildLine(results: RunResults): string {
  const c = buildCounts(results)
  const warnings = c.warnings ? `, ${c.warnings} warnings` : ''
  return `${c.models} models (${c.built} built, ${c.reused} reused), ${c.passed}/${c.tests} data tests passed${warnings}`
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

/** A path as the user would type it: relative under the working folder, absolute elsewhere. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path)
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel
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
