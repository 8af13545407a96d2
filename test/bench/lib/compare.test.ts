import { describe, expect, it } from 'vitest'
import { cellsOf, compareMetric, keyOf, type MetricRows, sameValue } from '../../../bench/lib/compare.js'

const answer = (rows: MetricRows['rows'], dimensions: string[] = ['segment']): MetricRows => ({
  metric: 'mrr',
  dimensions,
  rows,
})

describe('compareMetric', () => {
  it('agrees cell by cell within tolerance', () => {
    const ours = answer([
      { period: '2025-01-01', segment: 'smb', mrr: 100.001 },
      { period: '2025-01-01', segment: 'enterprise', mrr: 5000 },
    ])
    const theirs = answer([
      { period: '2025-01-01T00:00:00.000Z', segment: 'enterprise', mrr: 5000.0000001 },
      { period: '2025-01-01', segment: 'smb', mrr: 100 },
    ])
    const result = compareMetric(ours, theirs)
    expect(result).toMatchObject({ cells: 2, agreeing: 2, disagreeing: 0, worstRelative: null })
  })

  it('counts a key one side lacks as null, and null as zero', () => {
    const ours = answer([
      { period: '2025-01-01', segment: 'smb', mrr: 0 },
      { period: '2025-02-01', segment: 'smb', mrr: null },
    ])
    const theirs = answer([{ period: '2025-03-01', segment: 'smb', mrr: 0 }])
    expect(compareMetric(ours, theirs).disagreeing).toBe(0)
  })

  it('reports a different number and a number the other side does not have', () => {
    const ours = answer([
      { period: '2025-01-01', segment: 'smb', mrr: 110 },
      { period: '2025-02-01', segment: 'smb', mrr: 7 },
    ])
    const theirs = answer([{ period: '2025-01-01', segment: 'smb', mrr: 100 }])
    const result = compareMetric(ours, theirs)
    expect(result.disagreeing).toBe(2)
    expect(result.worstRelative).toBeCloseTo(10 / 110)
    expect(result.examples).toEqual([
      { key: '2025-01-01 segment=smb', ours: 110, theirs: 100 },
      { key: '2025-02-01 segment=smb', ours: 7, theirs: null },
    ])
  })

  it('keys by the dimensions both sides have', () => {
    const ours = answer([{ period: '2025-01-01', leads: 3 }], [])
    const theirs = answer([{ period: '2025-01-01', segment: 'smb', leads: 3 }])
    expect(keyOf(ours.rows[0] ?? {}, [])).toBe('2025-01-01')
    expect(compareMetric({ ...ours, metric: 'leads' }, { ...theirs, metric: 'leads' }).agreeing).toBe(1)
  })
})

describe('sameValue', () => {
  it('uses half a cent near zero and 1e-6 relative elsewhere', () => {
    expect(sameValue(0.004, null)).toBe(true)
    expect(sameValue(0.006, null)).toBe(false)
    expect(sameValue(1e9, 1e9 + 500)).toBe(true)
    expect(sameValue(1e9, 1e9 + 5000)).toBe(false)
  })

  it('compares text exactly', () => {
    expect(sameValue('a', 'a')).toBe(true)
    expect(sameValue('a', 'b')).toBe(false)
  })
})

describe('cellsOf', () => {
  it('makes rows JSON-safe', () => {
    expect(cellsOf([{ a: 2n, b: new Date('2025-03-01T00:00:00Z'), c: undefined, d: { x: 1 } }])).toEqual([
      { a: 2, b: '2025-03-01', c: null, d: '[object Object]' },
    ])
  })
})
