import { describe, expect, it } from 'vitest'
import {
  formatMetricSnapshot,
  type MetricSnapshot,
  parseMetricSnapshot,
} from '../../semantic/metric-snapshot.js'

const snapshot: MetricSnapshot = {
  format: 'revops-metric-snapshot',
  version: 1,
  grain: 'month',
  engine: 'duckdb',
  build: { id: '2025-12-31T23:00:00.000Z', finishedAt: '2025-12-31T23:00:00.000Z' },
  metrics: [
    {
      id: 'mrr',
      label: 'MRR',
      owner: 'finance',
      unit: 'currency',
      status: 'certified',
      version: '1.0.0',
      policy: 'mrr-policy v1',
      cuts: [
        { dimensions: [], rows: [{ period: '2025-01-01', value: 1.5 }] },
        {
          dimensions: ['segment'],
          rows: [
            { period: '2025-01-01', segment: null, value: 0.5 },
            { period: '2025-01-01', segment: 'smb "quoted"', value: 1 },
          ],
        },
      ],
    },
    {
      id: 'broken',
      label: 'Broken',
      owner: 'revops',
      unit: 'ratio',
      status: 'draft',
      version: '0.1.0',
      policy: null,
      cuts: [{ dimensions: [], rows: [] }],
      error: 'query broken failed',
    },
  ],
}

describe('metric snapshot files', () => {
  it('are JSON with one value per line, and read back to the same snapshot', () => {
    const text = formatMetricSnapshot(snapshot)
    expect(parseMetricSnapshot(text, 'values.json')).toEqual(snapshot)
    expect(text.split('\n')).toContain('      {"period":"2025-01-01","segment":"smb \\"quoted\\"","value":1}')
    expect(text.endsWith(']}\n')).toBe(true)
    const empty = { ...snapshot, metrics: [] }
    expect(parseMetricSnapshot(formatMetricSnapshot(empty), 'empty.json')).toEqual(empty)
  })

  it('refuses a file that is not a snapshot, naming the file and the first problem', () => {
    expect(() => parseMetricSnapshot('[1,', 'a.json')).toThrow(/^a\.json: not JSON: /)
    expect(() => parseMetricSnapshot(JSON.stringify({ ...snapshot, version: 2 }), 'b.json')).toThrow(
      'b.json: not a metric snapshot: version: Invalid input: expected 1',
    )
    const badRow = structuredClone(snapshot) as { metrics: { cuts: { rows: unknown[] }[] }[] }
    badRow.metrics[0]?.cuts[0]?.rows.push({ period: '2025-02-01', value: { nested: true } })
    expect(() => parseMetricSnapshot(JSON.stringify(badRow), 'c.json')).toThrow(
      /^c\.json: not a metric snapshot: metrics\.0\.cuts\.0\.rows\.1\.value: /,
    )
  })
})
