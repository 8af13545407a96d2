import { describe, expect, it } from 'vitest'
import { compareMetric } from '../../../bench/lib/compare.js'
import { figuresOf, type StageResults } from '../../../bench/lib/figures.js'
import { type BenchRun, disagreementLines, formatNumber, renderMarkdown } from '../../../bench/lib/report.js'

const MIB = 1024 * 1024
const measured = <T>(seconds: number, rssMiB: number, value: T) => ({
  seconds,
  maxRssBytes: rssMiB * MIB,
  value,
})
const build = (seconds: number, built: number, reused: number) =>
  measured(seconds, 500, {
    ok: true,
    buildSeconds: seconds - 1,
    viewsSeconds: 1,
    built,
    reused,
    tests: 3,
    testsPassed: 3,
    models: [
      {
        model: 'fct_customer_mrr_month',
        status: 'success',
        materialized: 'table',
        seconds: 2,
        testSeconds: 0.5,
        rows: 10,
      },
    ],
    errors: [],
  })
const query = (metric: string, coldMs: number, warmMs: number) => ({
  metric,
  bySegment: true,
  rows: 1,
  compileColdMs: 2,
  compileWarmMs: 1,
  coldMs,
  warmMs,
})

const results: StageResults = {
  land: measured(10, 200, { sources: [], landed: 1000 }),
  limitLand: measured(5, 100, { files: [], landed: 1000 }),
  build: build(40, 70, 0),
  limitBuild: measured(10, 400, {
    steps: [{ step: 'marts', seconds: 10 }],
    tables: { customer_mrr_month: 10 },
  }),
  query: measured(5, 300, {
    queries: [
      query('mrr', 30, 10),
      query('win_rate', 50, 20),
      query('nrr', 90, 60),
      query('leads,mqls,sqls', 9, 9),
    ],
  }),
  limitQuery: measured(2, 150, {
    queries: [
      { metric: 'mrr', rows: 1, coldMs: 15, warmMs: 5 },
      { metric: 'win_rate', rows: 1, coldMs: 25, warmMs: 10 },
    ],
  }),
  malloy: measured(3, 250, {
    version: '0.0.431',
    queries: [
      {
        name: 'mrr',
        metrics: ['mrr'],
        rows: 1,
        compileColdMs: 100,
        compileWarmMs: 20,
        coldMs: 60,
        warmMs: 20,
      },
      {
        name: 'funnel',
        metrics: ['leads', 'mqls', 'sqls'],
        rows: 1,
        compileColdMs: 80,
        compileWarmMs: 10,
        coldMs: 18,
        warmMs: 18,
      },
    ],
  }),
  athena: measured(1, 100, {
    revops: [
      { metric: 'mrr', bytes: 2e6, scans: [] },
      { metric: 'win_rate', bytes: 4e6, scans: [] },
      { metric: 'nrr', bytes: 20e6, scans: [] },
    ],
    limit: [
      { metric: 'mrr', bytes: 1e6, scans: [] },
      { metric: 'win_rate', bytes: 1e6, scans: [] },
    ],
    tables: {},
  }),
  nextLand: measured(1, 90, { sources: [], landed: 50 }),
  limitNextLand: measured(0.5, 90, { files: [], landed: 50 }),
  nextBuild: build(20, 30, 40),
  limitNextBuild: measured(10, 400, { steps: [], tables: {} }),
}

describe('figuresOf', () => {
  const figures = figuresOf(results)
  const find = (stage: string, figure: string) => {
    const f = figures.find((x) => x.stage.startsWith(stage) && x.figure === figure)
    if (!f) throw new Error(`no figure ${stage} / ${figure}`)
    return f
  }

  it('gives every figure revops, its baseline and their ratio', () => {
    expect(find('land', 'seconds')).toMatchObject({ revops: 10, baseline: 5, ratio: 2 })
    expect(find('land', 'rows/s')).toMatchObject({ revops: 100, baseline: 200, ratio: 0.5 })
    expect(find('full build', 'peak RSS')).toMatchObject({ revops: 500, baseline: 400, ratio: 1.25 })
    expect(find('next day: build', 'incremental ÷ full')).toMatchObject({
      revops: 0.5,
      baseline: 1,
      ratio: 0.5,
    })
  })

  it('compares query latency on the metrics both answer, and the whole catalog on its own line', () => {
    expect(find('metric queries (2 in common)', 'cold p50')).toMatchObject({ revops: 40, baseline: 20 })
    expect(find('whole catalog (3 queries)', 'warm p95').revops).toBeCloseTo(56)
  })

  it('sets the peer’s compile and answer latency against the same questions', () => {
    const compile = find('peer queries', 'compile, warm p50')
    expect(compile).toMatchObject({ revops: 1, baseline: 15, against: 'Malloy 0.0.431' })
    expect(find('peer queries', 'answer warm p50')).toMatchObject({ revops: 9.5, baseline: 19 })
  })

  it('counts Athena bytes on the common queries and bills at least 10 MB each', () => {
    expect(find('Athena bytes per month-grain query', 'sum')).toMatchObject({
      revops: 6,
      baseline: 2,
      ratio: 3,
    })
    const billed = find('Athena bytes, whole catalog', 'billed (10 MB minimum per query)')
    expect(billed.revops).toBeCloseTo((2 * 10 * MIB + 20e6) / 1e6)
    expect(billed.baseline).toBeCloseTo((2 * 10 * MIB) / 1e6)
  })
})

describe('renderMarkdown', () => {
  const disagreeing = compareMetric(
    { metric: 'leads', dimensions: [], rows: [{ period: '2021-10-01', leads: null }] },
    { metric: 'leads', dimensions: [], rows: [{ period: '2021-10-01', leads: 3 }] },
  )
  const run: BenchRun = {
    date: '2026-01-01',
    scale: 10,
    seed: 42,
    machine: { cpus: 2, node: 'v20', platform: 'linux', loadAverage: [1, 2, 3] },
    exportsGenerated: true,
    counts: { exports: { stripe: 10 }, landed: { stripe: 10 }, marts: {}, limitMarts: {}, nextDay: {} },
    figures: figuresOf(results),
    agreement: { limit: [disagreeing], peer: [] },
    time: {
      fullBuild: { buildSeconds: 39, viewsSeconds: 1, built: 70, tests: 3 },
      nextBuild: { built: 30, reused: 40, buildSeconds: 19 },
      topModels: [],
      limitSteps: [],
      slowestQueries: [],
      stages: { land: { seconds: 10, maxRssMiB: 200 } },
    },
    notes: [],
  }

  it('prints every figure with its ratio', () => {
    const text = renderMarkdown(run)
    expect(text).toContain('| land | seconds (s) | 10.0 | 5.00 | 2.00× |')
    expect(text).toContain('| full build | peak RSS (MiB) | 500 | 400 | 1.25× |')
  })

  it('says loudly where the answers disagree', () => {
    expect(renderMarkdown(run)).toContain('**The answers disagree**')
    expect(disagreementLines(run)).toEqual([
      'DISAGREEMENT with the limit: leads: 1 of 1 cells differ (e.g. 2021-10-01: revops null vs 3)',
    ])
  })

  it('formats by unit', () => {
    expect(formatNumber(12345.6, 'rows/s')).toBe('12,346')
    expect(formatNumber(0.0123, 'MB')).toBe('0.012')
    expect(formatNumber(null, 's')).toBe('—')
  })
})
