import { describe, expect, it } from 'vitest'
import { formatMetricDiff, MARKDOWN_BUDGET } from '../../cli/metric-diff-format.js'
import type { MetricChange, MetricDiff, ValueChange } from '../../semantic/metric-diff.js'

function change(
  metric: string,
  period: string,
  before: number | null,
  after: number | null,
  dims = {},
): ValueChange {
  return {
    metric,
    period,
    dimensions: dims,
    before,
    after,
    // As diffMetricSnapshots gives it: to the decimals the values carry.
    change: before === null || after === null ? null : Number((after - before).toFixed(6)),
    kind: 'changed',
  }
}

function metricChange(metric: string, unit: string, values: number): MetricChange {
  const side = { id: metric, label: `${metric} | label`, unit, status: 'certified', version: '1.0.0' }
  return {
    metric,
    label: side.label,
    unit,
    before: side,
    after: side,
    definition: [],
    values,
    versionNotBumped: false,
  }
}

describe('formatMetricDiff', () => {
  it('shows values in their unit, with every digit when rounding would hide the change', () => {
    const diff: MetricDiff = {
      added: [],
      removed: [],
      metrics: [metricChange('mrr', 'currency', 2), metricChange('nrr', 'ratio', 1)],
      changes: [
        change('mrr', '2025-01-01', 1000, 1000.001),
        change('mrr', '2025-02-01', 1000, 1250, { segment: 'smb' }),
        change('nrr', '2025-01-01', 0.9, 0.915),
      ],
    }
    const lines = formatMetricDiff(diff, 'table').split('\n')
    expect(lines[0]).toBe('3 values changed in 2 metrics')
    expect(lines.slice(2)).toEqual([
      'metric  period      dimensions   before    after     change',
      '------  ----------  -----------  --------  --------  ----------------',
      'mrr     2025-01-01  total        1000      1000.001  +0.001 (+0.0%)',
      'mrr     2025-02-01  segment=smb  1,000.00  1,250.00  +250.00 (+25.0%)',
      'nrr     2025-01-01  total        90.00%    91.50%    +1.50 pts',
      '',
    ])
  })

  it('keeps markdown under GitHub’s comment limit, and escapes table cells', () => {
    const metrics = Array.from({ length: 60 }, (_, i) => metricChange(`metric_${i}`, 'count', 40))
    const changes = metrics.flatMap((m) =>
      Array.from({ length: 40 }, (_, j) =>
        change(
          m.metric,
          `20${10 + Math.floor(j / 12)}-${String((j % 12) + 1).padStart(2, '0')}-01`,
          j,
          j + 1,
          {
            owner: 'a|b <c>',
          },
        ),
      ),
    )
    const md = formatMetricDiff({ added: [], removed: [], metrics, changes }, 'markdown')
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_BUDGET + 200)
    expect(md).toMatch(/_Values of \d+ more metrics left out to keep this comment short/)
    expect(md).toContain('| `metric_0` metric_0 \\| label | 40 |')
    expect(md).toContain('| a\\|b &lt;c> |')
    expect(md).toContain('| +1 (2010-01-01, owner=a\\|b &lt;c>) |')
    expect(md).not.toContain('<c>')
  })

  it('writes the whole diff as JSON', () => {
    const diff: MetricDiff = { added: [], removed: [], metrics: [], changes: [] }
    expect(JSON.parse(formatMetricDiff(diff, 'json'))).toEqual(diff)
    expect(formatMetricDiff(diff, 'markdown')).toBe('### Metric diff\n\n**no metric values changed**\n')
  })
})
