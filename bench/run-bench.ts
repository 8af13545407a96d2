/**
 * `npm run bench -- [--scale 1] [--seed 42] [--repeat 5] [--work <folder>] [--results <folder>] [--strict]`
 *
 * The demo company at a scale through every stage — land, full build, the whole metric catalog
 * at month grain by segment, one more day of data and the build after it — each stage in its own
 * process, next to its baselines measured in the same run: the limit (a hand-written DuckDB SQL
 * script, bench/baseline/) and a peer (Malloy on the same DuckDB file). Checks that the answers
 * agree (every disagreement is printed; `--strict` exits non-zero on one), prints a Markdown table
 * and writes bench/results/<date>.json and <date>.md (runs at other scales that day are kept).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { runStage } from './lib/child.js'
import { compareMetric, type MetricComparison, type MetricRows } from './lib/compare.js'
import { figuresOf, type Measured, type StageResults } from './lib/figures.js'
import { benchPaths, SOURCES, type StageOptions } from './lib/paths.js'
import { type BenchRun, disagreementLines, renderMarkdown } from './lib/report.js'
import type { StageName } from './stage.js'
import type { AthenaBytesResult } from './stages/athena-bytes.js'
import type { BuildResult } from './stages/build.js'
import type { GenerateResult } from './stages/generate.js'
import type { LandResult } from './stages/land.js'
import type { LimitBuildResult } from './stages/limit-build.js'
import type { LimitLandResult } from './stages/limit-land.js'
import type { LimitQueryTiming } from './stages/limit-query.js'
import type { MalloyTiming } from './stages/malloy.js'
import type { QueryTiming } from './stages/query.js'

const Options = z.object({
  scale: z.coerce.number().positive().max(1000),
  seed: z.coerce.number().int(),
  repeat: z.coerce.number().int().min(1).max(50),
  work: z.string().optional(),
  results: z.string(),
  /** Exit non-zero when an answer disagrees with a baseline. */
  strict: z.boolean(),
})

const RESULTS_DIR = fileURLToPath(new URL('./results', import.meta.url))
const MARTS = [
  'fct_customer_mrr_month',
  'dim_customer',
  'fct_opportunity',
  'fct_lifecycle_event',
  'fct_ad_spend_daily',
]

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '42' },
    repeat: { type: 'string', default: '5' },
    work: { type: 'string' },
    results: { type: 'string', default: RESULTS_DIR },
    strict: { type: 'boolean', default: false },
  },
})
const parsed = Options.safeParse(values)
if (!parsed.success) {
  process.stderr.write(
    `bench: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n`,
  )
  process.exit(2)
}
const o = parsed.data
const work = resolve(o.work ?? join('.revops', 'bench', `scale-${o.scale}-seed-${o.seed}`))
const paths = benchPaths(work)
const options: StageOptions = { work, scale: o.scale, seed: o.seed, repeat: o.repeat }
const dirs = { logs: paths.logs, results: paths.stageResults }
const startedAt = performance.now()
const loadAverage = loadavg()
const stageTimes: Record<string, { seconds: number; maxRssMiB: number }> = {}
const notes: string[] = []

const PLAN = 14
let step = 0
async function stage<T>(
  name: StageName,
  label: string,
  extra: Record<string, unknown> = {},
): Promise<Measured<T>> {
  step++
  process.stdout.write(`[${step}/${PLAN}] ${label} …`)
  const result = await runStage<T>(name, label, { ...options, ...extra }, dirs)
  stageTimes[label] = { seconds: result.seconds, maxRssMiB: result.maxRssBytes / 1024 / 1024 }
  process.stdout.write(
    ` ${result.seconds.toFixed(1)} s, peak RSS ${(result.maxRssBytes / 1024 / 1024).toFixed(0)} MiB\n`,
  )
  return result
}

process.stdout.write(`revops bench: scale ${o.scale}, seed ${o.seed}, ${o.repeat} warm repeats, in ${work}\n`)
const generated = await stage<GenerateResult>('generate', 'generate exports')
const land = await stage<LandResult>('land', 'land (revops)')
const limitLand = await stage<LimitLandResult>('limit-land', 'land (limit)')
const build = await stage<BuildResult>('build', 'full build (revops)')
if (!build.value.ok) throw new Error(`the revops build failed:\n${build.value.errors.join('\n')}`)
const limitBuild = await stage<LimitBuildResult>('limit-build', 'full build (limit)')
const query = await stage<{ queries: QueryTiming[] }>('query', 'metric queries (revops)')
const limitQuery = await stage<{ queries: LimitQueryTiming[] }>('limit-query', 'metric queries (limit)')
let malloy: Measured<{ version: string; queries: MalloyTiming[] }> | undefined
try {
  malloy = await stage('malloy', 'peer queries (Malloy)')
} catch (error) {
  process.stdout.write(' failed\n')
  notes.push(`Malloy did not run: ${String(error).split('\n').slice(0, 4).join(' ')}`)
}
const athena = await stage<AthenaBytesResult>('athena-bytes', 'Athena bytes (Parquet layout)')
const nextDay = await stage<{ files: { file: string; rows: number }[]; rows: number }>(
  'next-day',
  'one more day of exports',
)
const nextLand = await stage<LandResult>('land', 'next day: land (revops)', { next: true })
const limitNextLand = await stage<LimitLandResult>('limit-land', 'next day: land (limit)', { next: true })
const nextBuild = await stage<BuildResult>('build', 'next day: build (revops)', { next: true })
if (!nextBuild.value.ok)
  throw new Error(`the revops build after one more day failed:\n${nextBuild.value.errors.join('\n')}`)
const limitNextBuild = await stage<LimitBuildResult>('limit-build', 'next day: build (limit)', { next: true })

const results: StageResults = {
  land,
  limitLand,
  build,
  limitBuild,
  query,
  limitQuery,
  ...(malloy ? { malloy } : {}),
  athena,
  nextLand,
  limitNextLand,
  nextBuild,
  limitNextBuild,
}

const answers = (name: string): Record<string, MetricRows> => {
  const file = join(paths.answers, `${name}.json`)
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, MetricRows>) : {}
}
const ours = answers('revops')
const compareWith = (theirs: Record<string, MetricRows>): MetricComparison[] =>
  Object.keys(theirs)
    .filter((metric) => ours[metric])
    .map((metric) => compareMetric(ours[metric] as MetricRows, theirs[metric] as MetricRows))

const sumBy = <T>(items: readonly T[], key: (t: T) => string, value: (t: T) => number) => {
  const out: Record<string, number> = {}
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + value(item)
  return out
}
const martRows = Object.fromEntries(
  build.value.models.filter((m) => MARTS.includes(m.model)).map((m) => [m.model, m.rows ?? 0]),
)

const run: BenchRun = {
  date: new Date().toISOString().slice(0, 10),
  scale: o.scale,
  seed: o.seed,
  machine: { cpus: cpus().length, node: process.version, platform: process.platform, loadAverage },
  exportsGenerated: generated.value.generated,
  counts: {
    exports: sumBy(
      generated.value.files,
      (f) => f.file.split('/')[0] as string,
      (f) => f.rows,
    ),
    landed: Object.fromEntries(land.value.sources.map((s) => [s.source, s.landed])),
    marts: martRows,
    limitMarts: limitBuild.value.tables,
    nextDay: Object.fromEntries(nextDay.value.files.map((f) => [f.file, f.rows])),
  },
  figures: figuresOf(results),
  agreement: { limit: compareWith(answers('limit')), peer: compareWith(answers('malloy')) },
  time: {
    fullBuild: {
      buildSeconds: build.value.buildSeconds,
      viewsSeconds: build.value.viewsSeconds,
      built: build.value.built,
      tests: build.value.tests,
    },
    nextBuild: {
      built: nextBuild.value.built,
      reused: nextBuild.value.reused,
      buildSeconds: nextBuild.value.buildSeconds,
    },
    topModels: [...build.value.models].sort((a, b) => b.seconds - a.seconds).slice(0, 10),
    limitSteps: limitBuild.value.steps,
    slowestQueries: [...query.value.queries].sort((a, b) => b.warmMs - a.warmMs).slice(0, 5),
    stages: stageTimes,
  },
  notes: [
    ...notes,
    `Sources landed in order: ${SOURCES.join(', ')}. Each stage runs in its own process; seconds are the stage's work (module loading excluded), peak RSS is the process's.`,
    'Cold = the first answer on a freshly opened database (the OS file cache stays warm); warm = the median of the repeats. A revops answer includes compiling the query.',
  ],
}

mkdirSync(o.results, { recursive: true })
const jsonFile = join(o.results, `${run.date}.json`)
const previous = existsSync(jsonFile)
  ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as { runs: Record<string, BenchRun> })
  : { runs: {} }
previous.runs[String(o.scale)] = run
writeFileSync(jsonFile, `${JSON.stringify(previous, null, 2)}\n`)
const markdown = Object.values(previous.runs)
  .sort((a, b) => a.scale - b.scale)
  .map(renderMarkdown)
  .join('\n\n')
writeFileSync(join(o.results, `${run.date}.md`), `# revops benchmark, ${run.date}\n\n${markdown}`)

const current = renderMarkdown(run)
process.stdout.write(`\n${current}\n`)
const loud = disagreementLines(run)
for (const line of loud) process.stderr.write(`${line}\n`)
process.stdout.write(
  `\nbench finished in ${((performance.now() - startedAt) / 1000).toFixed(0)} s; results in ${jsonFile} and ${join(o.results, `${run.date}.md`)}\n`,
)
if (loud.length && o.strict) process.exitCode = 1
