import { describe, expect, it } from 'vitest'
import { median, percentile, ratio, summarize } from '../../../bench/lib/stats.js'

describe('percentile', () => {
  it('interpolates between the closest ranks', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5)
    expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48)
    expect(percentile([7], 95)).toBe(7)
    expect(median([5, 1, 9])).toBe(5)
  })

  it('is NaN without values', () => {
    expect(percentile([], 50)).toBeNaN()
    expect(summarize([]).n).toBe(0)
  })

  it('summarizes p50, p95, max and total', () => {
    const s = summarize([1, 2, 3, 4])
    expect(s).toMatchObject({ n: 4, p50: 2.5, max: 4, total: 10 })
    expect(s.p95).toBeCloseTo(3.85)
  })
})

describe('ratio', () => {
  it('divides ours by theirs', () => {
    expect(ratio(3, 2)).toBe(1.5)
  })

  it('is null when a side is missing or the baseline is zero', () => {
    expect(ratio(null, 2)).toBeNull()
    expect(ratio(1, undefined)).toBeNull()
    expect(ratio(1, 0)).toBeNull()
    expect(ratio(Number.NaN, 1)).toBeNull()
  })
})
