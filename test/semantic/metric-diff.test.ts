import { describe, expect, it } from 'vitest'
import { diffMetricSnapshots } from '../../semantic/metric-diff.js'
import type { MetricSnapshot, SnapshotCut, SnapshotMetric } from '../../semantic/metric-snapshot.js'

function metric(id: string, cuts: SnapshotCut[], extra: Partial<SnapshotMetric> = {}): SnapshotMetric {
  return {
    id,
    label: id.toUpperCase(),
    owner: 'finance',
    unit: 'currency',
    status: 'certified',
    version: '1.0.0',
    policy: null,
    cuts,
    ...extra,
  }
}

function snap(...metrics: SnapshotMetric[]): MetricSnapshot {
  return { format: 'revops-metric-snapshot', version: 1, grain: 'month', engine: 'duckdb', metrics }
}

const total = (...values: (number | null)[]): SnapshotCut => ({
  dimensions: [],
  rows: values.map((value, i) => ({ period: `2025-0${i + 1}-01`, value })),
})

describe('diffMetricSnapshots', () => {
  it('finds nothing between equal snapshots', () => {
    const a = snap(metric('mrr', [total(100, 200)]), metric('nrr', [total(null, 0.9)], { unit: 'ratio' }))
    expect(diffMetricSnapshots(a, structuredClone(a))).toEqual({
      added: [],
      removed: [],
      metrics: [],
      changes: [],
    })
  })

  it('lists exactly the values that differ, with the change, and notes an unbumped version', () => {
    const diff = diffMetricSnapshots(
      snap(metric('mrr', [total(100, 200.1, 300)]), metric('arr', [total(1, 2, 3)])),
      snap(metric('mrr', [total(100, 250.3, null)]), metric('arr', [total(1, 2, 3)])),
    )
    expect(diff.changes).toEqual([
      {
        metric: 'mrr',
        period: '2025-02-01',
        dimensions: {},
        before: 200.1,
        after: 250.3,
        // 50.2, not the 50.20000000000002 of floating subtraction.
        change: 50.2,
        kind: 'changed',
      },
      {
        metric: 'mrr',
        period: '2025-03-01',
        dimensions: {},
        before: 300,
        after: null,
        change: null,
        kind: 'changed',
      },
    ])
    expect(diff.metrics).toEqual([
      {
        metric: 'mrr',
        label: 'MRR',
        unit: 'currency',
        before: { id: 'mrr', label: 'MRR', unit: 'currency', status: 'certified', version: '1.0.0' },
        after: { id: 'mrr', label: 'MRR', unit: 'currency', status: 'certified', version: '1.0.0' },
        definition: [],
        values: 2,
        versionNotBumped: true,
      },
    ])
  })

  it('takes numbers equal to 10 significant digits as the same: two builds may sum in another order', () => {
    const diff = diffMetricSnapshots(
      snap(metric('mrr', [total(35510.3387058, 0, 0.1, 5)])),
      snap(metric('mrr', [total(35510.3387057, 1.4e-12, 0.100001, 5.001)])),
    )
    expect(diff.changes.map((c) => [c.period, c.before, c.after, c.change])).toEqual([
      ['2025-03-01', 0.1, 0.100001, 0.000001],
      ['2025-04-01', 5, 5.001, 0.001],
    ])
  })

  it('compares dimension rows by their values, and counts rows on one side only unless they are null', () => {
    const cut = (rows: [string, string | null, number | null][]): SnapshotCut => ({
      dimensions: ['segment'],
      rows: rows.map(([period, segment, value]) => ({ period, segment, value })),
    })
    const before = snap(
      metric('mrr', [
        cut([
          ['2025-01-01', 'smb', 10],
          ['2025-01-01', 'enterprise', 20],
          ['2025-01-01', null, 5],
          ['2025-01-01', 'mid_market', null],
        ]),
      ]),
    )
    const after = snap(
      metric(
        'mrr',
        [
          cut([
            ['2025-01-01', null, 5],
            ['2025-01-01', 'smb', 10],
            ['2025-01-01', 'apac', 0],
            ['2025-01-01', 'partner', null],
          ]),
        ],
        { version: '1.1.0' },
      ),
    )
    const diff = diffMetricSnapshots(before, after)
    expect(diff.changes).toEqual([
      {
        metric: 'mrr',
        period: '2025-01-01',
        dimensions: { segment: 'apac' },
        before: null,
        after: 0,
        change: null,
        kind: 'added',
      },
      {
        metric: 'mrr',
        period: '2025-01-01',
        dimensions: { segment: 'enterprise' },
        before: 20,
        after: null,
        change: null,
        kind: 'removed',
      },
    ])
    expect(diff.metrics[0]).toMatchObject({ definition: ['version: 1.0.0 → 1.1.0'], versionNotBumped: false })
  })

  it('names added and removed metrics and changed governance, without value rows for them', () => {
    const diff = diffMetricSnapshots(
      snap(
        metric('mrr', [total(1)]),
        metric('old', [total(5)]),
        metric('seg', [
          total(1),
          { dimensions: ['segment'], rows: [{ period: '2025-01-01', segment: 'a', value: 1 }] },
        ]),
      ),
      snap(
        metric('new', [total(7)], { status: 'draft' }),
        metric('mrr', [total(1)], { owner: 'revops', policy: 'mrr-policy v2', status: 'deprecated' }),
        metric('seg', [
          total(1),
          { dimensions: ['region'], rows: [{ period: '2025-01-01', region: 'b', value: 1 }] },
        ]),
      ),
    )
    expect(diff.added).toEqual([
      { id: 'new', label: 'NEW', unit: 'currency', status: 'draft', version: '1.0.0' },
    ])
    expect(diff.removed.map((m) => m.id)).toEqual(['old'])
    expect(diff.metrics.map((m) => [m.metric, m.definition])).toEqual([
      ['mrr', ['owner: finance → revops', 'status: certified → deprecated', 'policy: none → mrr-policy v2']],
      ['seg', ['breakdown: segment → region']],
    ])
    expect(diff.changes).toEqual([])
  })

  it('reports a metric that fails to answer on one side', () => {
    const diff = diffMetricSnapshots(
      snap(metric('mrr', [total(1)])),
      snap(metric('mrr', [], { error: 'query mrr failed on DuckDB: boom' })),
    )
    expect(diff.metrics).toEqual([
      expect.objectContaining({
        metric: 'mrr',
        error: { after: 'query mrr failed on DuckDB: boom' },
        values: 0,
        definition: [],
      }),
    ])
    expect(diff.changes).toEqual([])
  })
})
