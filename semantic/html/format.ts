import type { SqlValue } from '../../core/engines/engine.js'

/** Display formats for report and docs pages; the numbers themselves stay unrounded in CSVs. */
export interface Formats {
  readonly currency: string
  /** $1,234.56 (a missing value is an em dash). */
  money(value: SqlValue | undefined): string
  /** $1.2K, for chart axes. */
  moneyCompact(value: number): string
  /** 95.3% from 0.953. */
  percent(value: SqlValue | undefined): string
  /** 1,234. */
  count(value: SqlValue | undefined): string
  /** `2025-01-01` → `Jan 2025`. */
  month(period: string): string
}

const MISSING = '—'

export function formats(currency: string, locale = 'en-US'): Formats {
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency })
  const compact = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    notation: 'compact',
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  })
  const percent = new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  })
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })
  const months = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' })
  const num = (value: SqlValue | undefined): number | undefined =>
    typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : undefined
  const show = (f: Intl.NumberFormat) => (value: SqlValue | undefined) => {
    const n = num(value)
    return n === undefined || !Number.isFinite(n) ? MISSING : f.format(n)
  }
  return {
    currency,
    money: show(money),
    moneyCompact: (value) => compact.format(value),
    percent: show(percent),
    count: show(count),
    month: (period) => months.format(new Date(`${period.slice(0, 10)}T00:00:00Z`)),
  }
}

/** A value as a number, or null when it is missing (SQL NULL, absent). */
export function numberOrNull(value: SqlValue | undefined): number | null {
  if (typeof value === 'number') return value
  if (typeof value === 'bigint') return Number(value)
  return null
}
