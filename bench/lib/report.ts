/** The benchmark run as JSON and as a Markdown report (pure, so tests can pin it). */
import type { MetricComparison } from './compare.js'
import type { Figure, Unit } from './figures.js'

export interface BenchRun {
  readonly date: string
  readonly scale: number
  readonly seed: number
  readonly machine: {
    readonly cpus: number
    readonly node: string
    readonly platform: string
    readonly loadAverage: readonly number[]
  }
  readonly exportsGenerated: boolean
  readonly counts: {
    readonly exports: Readonly<Record<string, number>>
    readonly landed: Readonly<Record<string, number>>
    readonly marts: Readonly<Record<string, number>>
    readonly limitMarts: Readonly<Record<string, number>>
    readonly nextDay: Readonly<Record<string, number>>
  }
  readonly figures: readonly Figure[]
  readonly agreement: {
    readonly limit: readonly MetricComparison[]
    readonly peer: readonly MetricComparison[]
  }
  readonly time: {
    readonly fullBuild: {
      readonly buildSeconds: number
      readonly viewsSeconds: number
      readonly built: number
      readonly tests: number
    }
    readonly nextBuild: { readonly built: number; readonly reused: number; readonly buildSeconds: number }
    readonly topModels: readonly {
      model: string
      seconds: number
      testSeconds: number
      rows: number | null
    }[]
    readonly limitSteps: readonly { step: string; seconds: number }[]
    readonly slowestQueries: readonly { metric: string; coldMs: number; warmMs: number }[]
    readonly stages: Readonly<Record<string, { seconds: number; maxRssMiB: number }>>
  }
  readonly notes: readonly string[]
}

export function formatNumber(value: number | null, unit: Unit): string {
  if (value === null || !Number.isFinite(value)) return '—'
  switch (unit) {
    case 'rows/s':
    case 'rows':
      return Math.round(value).toLocaleString('en-US')
    case 'MiB':
      return value.toFixed(0)
    case 's':
      return value < 10 ? value.toFixed(2) : value.toFixed(1)
    case 'ms':
      return value < 10 ? value.toFixed(2) : value.toFixed(1)
    case 'MB':
      return value < 1 ? value.toFixed(3) : value.toFixed(2)
    case 'x':
      return value.toFixed(2)
  }
}

export function formatRatio(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '—' : `${value.toFixed(2)}×`
}

function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align?: readonly ('l' | 'r')[],
): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`
  const rule = `|${header.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : ':---')).join('|')}|`
  return [line(header), rule, ...rows.map(line)].join('\n')
}

/** The figures table: revops, its baseline, and revops ÷ baseline for every figure. */
export function figuresTable(figures: readonly Figure[]): string {
  return table(
    ['stage', 'figure', 'revops', 'baseline', 'revops ÷ baseline', 'baseline is'],
    figures.map((f) => [
      f.stage,
      `${f.figure} (${f.unit})`,
      formatNumber(f.revops, f.unit),
      formatNumber(f.baseline, f.unit),
      formatRatio(f.ratio),
      f.against,
    ]),
    ['l', 'l', 'r', 'r', 'r', 'l'],
  )
}

export function agreementTable(comparisons: readonly MetricComparison[]): string {
  return table(
    ['metric', 'cells', 'agree', 'disagree', 'worst relative difference', 'first disagreements'],
    comparisons.map((c) => [
      c.metric,
      String(c.cells),
      String(c.agreeing),
      c.disagreeing ? `**${c.disagreeing}**` : '0',
      c.worstRelative === null ? '—' : c.worstRelative.toExponential(2),
      c.examples
        .slice(0, 2)
        .map((e) => `${e.key}: ${String(e.ours)} vs ${String(e.theirs)}`)
        .join('; ') || '—',
    ]),
    ['l', 'r', 'r', 'r', 'r', 'l'],
  )
}

/** Loud one-liners for every disagreement, for the terminal and the top of the report. */
export function disagreementLines(run: BenchRun): string[] {
  const lines: string[] = []
  for (const [who, list] of [
    ['the limit', run.agreement.limit],
    ['Malloy', run.agreement.peer],
  ] as const) {
    for (const c of list.filter((x) => x.disagreeing > 0)) {
      lines.push(
        `DISAGREEMENT with ${who}: ${c.metric}: ${c.disagreeing} of ${c.cells} cells differ (e.g. ${c.examples
          .slice(0, 3)
          .map((e) => `${e.key}: revops ${String(e.ours)} vs ${String(e.theirs)}`)
          .join('; ')})`,
      )
    }
  }
  return lines
}

const counts = (record: Readonly<Record<string, number>>) =>
  Object.entries(record)
    .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
    .join(', ')

export function renderMarkdown(run: BenchRun): string {
  const total = (record: Readonly<Record<string, number>>) =>
    Object.values(record)
      .reduce((s, v) => s + v, 0)
      .toLocaleString('en-US')
  const loud = disagreementLines(run)
  const agreeLimit = run.agreement.limit.every((c) => c.disagreeing === 0)
  const agreePeer = run.agreement.peer.every((c) => c.disagreeing === 0)
  const t = run.time
  return [
    `## revops bench — scale ${run.scale} (seed ${run.seed}), ${run.date}`,
    '',
    `Machine: ${run.machine.cpus} CPUs, Node ${run.machine.node}, ${run.machine.platform}, load average at start ${run.machine.loadAverage.map((l) => l.toFixed(2)).join(' ')} (shared: every figure is a ratio against a baseline measured in the same run). Exports ${run.exportsGenerated ? 'generated in this run' : 'reused from an earlier run at this scale and seed'}.`,
    '',
    '### Workload (real counts)',
    '',
    `- export rows: ${total(run.counts.exports)} (${counts(run.counts.exports)})`,
    `- landed records: ${total(run.counts.landed)} (${counts(run.counts.landed)})`,
    `- revops marts: ${counts(run.counts.marts)}`,
    `- limit marts: ${counts(run.counts.limitMarts)}`,
    `- one more day (delta rows landed): ${total(run.counts.nextDay)} (${counts(run.counts.nextDay)})`,
    '',
    '### Figures',
    '',
    figuresTable(run.figures),
    '',
    '### Agreement',
    '',
    agreeLimit && agreePeer
      ? 'Every compared metric agrees with the limit and with Malloy (cells keyed by month and segment; missing, null and zero count as equal; 1e-6 relative or half a cent).'
      : `**The answers disagree** — see below.\n\n${loud.map((l) => `- ${l}`).join('\n')}`,
    '',
    'revops vs the limit:',
    '',
    agreementTable(run.agreement.limit),
    '',
    'revops vs Malloy:',
    '',
    run.agreement.peer.length ? agreementTable(run.agreement.peer) : '(Malloy did not run)',
    '',
    '### Where the time goes',
    '',
    `Full build: ${t.fullBuild.built} models and ${t.fullBuild.tests} data tests in ${t.fullBuild.buildSeconds.toFixed(1)} s, then the governed views and metric_values in ${t.fullBuild.viewsSeconds.toFixed(1)} s. After one more day: ${t.nextBuild.built} models rebuilt, ${t.nextBuild.reused} reused, ${t.nextBuild.buildSeconds.toFixed(1)} s.`,
    '',
    table(
      ['slowest models (full build)', 'seconds', 'of which data tests', 'rows'],
      t.topModels.map((m) => [
        m.model,
        m.seconds.toFixed(2),
        m.testSeconds.toFixed(2),
        m.rows === null ? '—' : m.rows.toLocaleString('en-US'),
      ]),
      ['l', 'r', 'r', 'r'],
    ),
    '',
    table(
      ['limit step', 'seconds'],
      t.limitSteps.map((s) => [s.step, s.seconds.toFixed(2)]),
      ['l', 'r'],
    ),
    '',
    table(
      ['slowest metric queries', 'cold ms', 'warm ms'],
      t.slowestQueries.map((q) => [q.metric, q.coldMs.toFixed(1), q.warmMs.toFixed(1)]),
      ['l', 'r', 'r'],
    ),
    '',
    table(
      ['stage process', 'seconds', 'peak RSS MiB'],
      Object.entries(t.stages).map(([name, s]) => [name, s.seconds.toFixed(2), s.maxRssMiB.toFixed(0)]),
      ['l', 'r', 'r'],
    ),
    '',
    ...(run.notes.length ? ['Notes:', '', ...run.notes.map((n) => `- ${n}`), ''] : []),
  ].join('\n')
}
