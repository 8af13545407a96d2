import { describe, expect, it } from 'vitest'
import {
  addMonths,
  lastDay,
  monthStart,
  RetentionReportOptions,
} from '../../../semantic/reports/retention-data.js'

describe('report months', () => {
  it('moves by whole months from the first of the month, never overflowing short months', () => {
    expect(monthStart('2025-01-31')).toBe('2025-01-01')
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-01')
    expect(addMonths('2025-12-15', -23)).toBe('2024-01-01')
    expect(addMonths('2024-03-01', -1)).toBe('2024-02-01')
    expect(lastDay('2024-02-10')).toBe('2024-02-29')
    expect(lastDay('2025-12-01')).toBe('2025-12-31')
  })
})

describe('report options', () => {
  it('accepts dates and one dimension, and rejects the rest with a readable message', () => {
    expect(RetentionReportOptions.parse({ from: '2025-01-01', to: '2025-06-30', by: 'segment' })).toEqual({
      from: '2025-01-01',
      to: '2025-06-30',
      by: 'segment',
    })
    const message = (input: unknown) => RetentionReportOptions.safeParse(input).error?.issues[0]?.message
    expect(message({ from: '01/02/2025' })).toBe('from must be a date, YYYY-MM-DD')
    expect(message({ to: '2025-02-30' })).toBe('to must be a date, YYYY-MM-DD')
    expect(message({ by: 'segment,region' })).toBe('by must be one dimension name, e.g. segment')
    expect(message({ from: '2025-02-01', to: '2025-01-01' })).toBe('from must not be after to')
  })
})
