/** The benchmark's figures and their ratios, from the stages' results (pure, so tests can pin it). */
import type { AthenaBytesResult } from '../stages/athena-bytes.js'
import type { BuildResult } from '../stages/build.js'
import type { LandResult } from '../stages/land.js'
import type { LimitBuildResult } from '../stages/limit-build.js'
import type { LimitLandResult } from '../stages/limit-land.js'
import type { LimitQueryTiming } from '../stages/limit-query.js'
import type { MalloyTiming } from '../stages/malloy.js'
import type { QueryTiming } from '../stages/query.js'
import { FUNNEL_QUERY } from './catalog-queries.js'
import { ATHENA_MINIMUM_BYTES } from './plan-scans.js'
import { ratio, summarize } from './stats.js'

/** A stage's measured run: wall seconds of its work, its process's peak RSS and its result. */
export interface Measured<T> {
  readonly seconds: number
  readonly maxRssBytes: number
  readonly value: T
}

export interface StageResults {
  readonly land: Measured<LandResult>
  readonly limitLand: Measured<LimitLandResult>
  readonly build: Measured<BuildResult>
  readonly limitBuild: Measured<LimitBuildResult>
  readonly query: Measured<{ queries: QueryTiming[] }>
  readonly limitQuery: Measured<{ queries: LimitQueryTiming[] }>
  readonly malloy?: Measured<{ version: string; queries: MalloyTiming[] }>
  readonly athena: Measured<AthenaBytesResult>
  readonly nextLand: Measured<LandResult>
  readonly limitNextLand: Measured<LimitLandResult>
  readonly nextBuild: Measured<BuildResult>
  readonly limitNextBuild: Measured<LimitBuildResult>
}

export type Unit = 's' | 'MiB' | 'rows/s' | 'ms' | 'MB' | 'x' | 'rows'

export interface Figure {
  /** The workload: land, full build, …; one table section each. */
  readonly stage: string
  readonly figure: string
  readonly unit: Unit
  readonly revops: number | null
  readonly baseline: number | null
  /** What the baseline is: the hand-written limit, the Malloy peer, or revops's own full build. */
  readonly against: string
  /** revops ÷ baseline (for rows/s, above 1 is faster; for the rest, above 1 is slower or bigger). */
  readonly ratio: number | null
}

const MIB = 1024 * 1024
const mib = (bytes: number) => bytes / MIB
const mb = (bytes: number) => bytes / 1e6

function pair(
  stage: string,
  figure: string,
  unit: Unit,
  revops: number | null,
  baseline: number | null,
  against: string,
): Figure {
  return { stage, figure, unit, revops, baseline, against, ratio: ratio(revops, baseline) }
}

export function figuresOf(r: StageResults): Figure[] {
  const figures: Figure[] = []
  const add = (...f: Figure[]) => figures.push(...f)
  const limit = 'limit (hand-written DuckDB)'

  // Landing.
  add(
    pair('land', 'seconds', 's', r.land.seconds, r.limitLand.seconds, limit),
    pair('land', 'peak RSS', 'MiB', mib(r.land.maxRssBytes), mib(r.limitLand.maxRssBytes), limit),
    pair(
      'land',
      'rows/s',
      'rows/s',
      r.land.value.landed / r.land.seconds,
      r.limitLand.value.landed / r.limitLand.seconds,
      limit,
    ),
  )

  // Full build.
  add(
    pair('full build', 'seconds', 's', r.build.seconds, r.limitBuild.seconds, limit),
    pair('full build', 'peak RSS', 'MiB', mib(r.build.maxRssBytes), mib(r.limitBuild.maxRssBytes), limit),
  )

  // One more day.
  add(
    pair('next day: land', 'seconds', 's', r.nextLand.seconds, r.limitNextLand.seconds, limit),
    pair(
      'next day: land',
      'rows/s',
      'rows/s',
      r.nextLand.value.landed / r.nextLand.seconds,
      r.limitNextLand.value.landed / r.limitNextLand.seconds,
      limit,
    ),
    pair(
      'next day: build',
      'seconds',
      's',
      r.nextBuild.seconds,
      r.limitNextBuild.seconds,
      `${limit}, full rerun`,
    ),
    pair(
      'next day: build',
      'peak RSS',
      'MiB',
      mib(r.nextBuild.maxRssBytes),
      mib(r.limitNextBuild.maxRssBytes),
      `${limit}, full rerun`,
    ),
    pair(
      'next day: build',
      'incremental ÷ full',
      'x',
      r.nextBuild.seconds / r.build.seconds,
      r.limitNextBuild.seconds / r.limitBuild.seconds,
      'the limit’s rerun ÷ its full build',
    ),
  )

  // Metric queries: the common metrics against the limit, the whole catalog on its own line.
  const limitQueries = new Map(r.limitQuery.value.queries.map((q) => [q.metric, q]))
  const catalog = r.query.value.queries.filter((q) => q.metric !== FUNNEL_QUERY)
  const common = catalog.filter((q) => limitQueries.has(q.metric))
  const theirs = common.map((q) => limitQueries.get(q.metric) as LimitQueryTiming)
  const label = `metric queries (${common.length} in common)`
  for (const [kind, key] of [
    ['cold', 'coldMs'],
    ['warm', 'warmMs'],
  ] as const) {
    const ours = summarize(common.map((q) => q[key]))
    const base = summarize(theirs.map((q) => q[key]))
    add(
      pair(label, `${kind} p50`, 'ms', ours.p50, base.p50, limit),
      pair(label, `${kind} p95`, 'ms', ours.p95, base.p95, limit),
    )
  }
  add(pair(label, 'peak RSS', 'MiB', mib(r.query.maxRssBytes), mib(r.limitQuery.maxRssBytes), limit))
  const all = `whole catalog (${catalog.length} queries)`
  const allLimit = r.limitQuery.value.queries
  for (const [kind, key] of [
    ['cold', 'coldMs'],
    ['warm', 'warmMs'],
  ] as const) {
    const ours = summarize(catalog.map((q) => q[key]))
    const base = summarize(allLimit.map((q) => q[key]))
    add(
      pair(all, `${kind} p50`, 'ms', ours.p50, base.p50, `limit (its ${allLimit.length} queries)`),
      pair(all, `${kind} p95`, 'ms', ours.p95, base.p95, `limit (its ${allLimit.length} queries)`),
    )
  }

  // Compile latency and the peer's latency on the same questions.
  if (r.malloy) {
    const malloy = r.malloy.value.queries
    const ours = malloy.map((m) => {
      const name = m.metrics.length > 1 ? FUNNEL_QUERY : (m.metrics[0] as string)
      return r.query.value.queries.find((q) => q.metric === name)
    })
    const pick = (key: 'compileColdMs' | 'compileWarmMs' | 'coldMs' | 'warmMs') =>
      summarize(ours.map((q) => (q ? q[key] : Number.NaN)))
    const peer = (key: 'compileColdMs' | 'compileWarmMs' | 'coldMs' | 'warmMs') =>
      summarize(malloy.map((q) => q[key]))
    const peerLabel = `Malloy ${r.malloy.value.version}`
    const section = `peer queries (MRR, win rate, funnel; ${malloy.length})`
    add(
      pair(
        section,
        'compile, first p50',
        'ms',
        pick('compileColdMs').p50,
        peer('compileColdMs').p50,
        peerLabel,
      ),
      pair(
        section,
        'compile, warm p50',
        'ms',
        pick('compileWarmMs').p50,
        peer('compileWarmMs').p50,
        peerLabel,
      ),
      pair(
        section,
        'compile, warm max',
        'ms',
        pick('compileWarmMs').max,
        peer('compileWarmMs').max,
        peerLabel,
      ),
      pair(section, 'answer cold p50', 'ms', pick('coldMs').p50, peer('coldMs').p50, peerLabel),
      pair(section, 'answer warm p50', 'ms', pick('warmMs').p50, peer('warmMs').p50, peerLabel),
      pair(section, 'answer warm max', 'ms', pick('warmMs').max, peer('warmMs').max, peerLabel),
      pair(section, 'peak RSS', 'MiB', mib(r.query.maxRssBytes), mib(r.malloy.maxRssBytes), peerLabel),
    )
  }
  const compile = summarize(catalog.map((q) => q.compileWarmMs))
  const compileFirst = summarize(catalog.map((q) => q.compileColdMs))
  const peerCompile = r.malloy ? summarize(r.malloy.value.queries.map((q) => q.compileWarmMs)) : undefined
  const peerFirst = r.malloy ? summarize(r.malloy.value.queries.map((q) => q.compileColdMs)) : undefined
  const against = r.malloy
    ? `Malloy (its ${r.malloy.value.queries.length} queries)`
    : 'no compile step in the limit'
  add(
    pair(all, 'compile, first p50', 'ms', compileFirst.p50, peerFirst?.p50 ?? null, against),
    pair(all, 'compile, first max', 'ms', compileFirst.max, peerFirst?.max ?? null, against),
    pair(all, 'compile, warm p50', 'ms', compile.p50, peerCompile?.p50 ?? null, against),
    pair(all, 'compile, warm p95', 'ms', compile.p95, peerCompile?.p95 ?? null, against),
  )

  // Athena bytes scanned.
  const limitBytes = new Map(r.athena.value.limit.map((q) => [q.metric, q.bytes]))
  const ourBytes = r.athena.value.revops.filter((q) => limitBytes.has(q.metric))
  const a = summarize(ourBytes.map((q) => q.bytes))
  const b = summarize(ourBytes.map((q) => limitBytes.get(q.metric) as number))
  const bytesLabel = `Athena bytes per month-grain query (${ourBytes.length} in common)`
  add(
    pair(bytesLabel, 'p50', 'MB', mb(a.p50), mb(b.p50), limit),
    pair(bytesLabel, 'max', 'MB', mb(a.max), mb(b.max), limit),
    pair(bytesLabel, 'sum', 'MB', mb(a.total), mb(b.total), limit),
  )
  const whole = summarize(r.athena.value.revops.map((q) => q.bytes))
  const billed = (bytes: readonly number[]) =>
    bytes.reduce((s, x) => s + Math.max(x, ATHENA_MINIMUM_BYTES), 0)
  add(
    pair(
      `Athena bytes, whole catalog (${whole.n} queries)`,
      'sum',
      'MB',
      mb(whole.total),
      mb(r.athena.value.limit.reduce((s, q) => s + q.bytes, 0)),
      `limit (its ${r.athena.value.limit.length} queries)`,
    ),
    pair(
      `Athena bytes, whole catalog (${whole.n} queries)`,
      'billed (10 MB minimum per query)',
      'MB',
      mb(billed(r.athena.value.revops.map((q) => q.bytes))),
      mb(billed(r.athena.value.limit.map((q) => q.bytes))),
      `limit (its ${r.athena.value.limit.length} queries)`,
    ),
  )
  return figures
}
