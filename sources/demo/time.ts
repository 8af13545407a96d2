/** Date helpers on UTC; instants are unix seconds (Stripe's unit) unless named `…Ms`. */

export const DAY = 86_400
export const HOUR = 3_600

/** 'YYYY-MM' → unix seconds of that month's first instant. */
export function monthStart(month: string): number {
  const [y, m] = month.split('-').map(Number)
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, 1) / 1000
}

/** Adds months to 'YYYY-MM'. */
export function addMonthKey(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number)
  const d = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1 + n, 1))
  return monthKey(d.getTime() / 1000)
}

export function monthKey(t: number): string {
  return new Date(t * 1000).toISOString().slice(0, 7)
}

export function dateKey(t: number): string {
  return new Date(t * 1000).toISOString().slice(0, 10)
}

/** ISO with milliseconds and Z, as HubSpot and most APIs print it. */
export function isoZ(t: number): string {
  return new Date(t * 1000).toISOString()
}

/** Salesforce Data Loader datetime: 2024-01-31T10:00:00.000+0000. */
export function sfDateTime(t: number): string {
  return `${new Date(t * 1000).toISOString().slice(0, 23)}+0000`
}

/**
 * Stripe's billing-period arithmetic: `anchor` plus `n` months, keeping the anchor's day of month
 * (clamped to the month's last day) and its time of day.
 */
export function addMonthsAnchored(anchor: number, n: number): number {
  const a = new Date(anchor * 1000)
  const y = a.getUTCFullYear()
  const m = a.getUTCMonth() + n
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  const day = Math.min(a.getUTCDate(), lastDay)
  return Date.UTC(y, m, day, a.getUTCHours(), a.getUTCMinutes(), a.getUTCSeconds()) / 1000
}

/** Start of the UTC day of `t`. */
export function dayStart(t: number): number {
  return Math.floor(t / DAY) * DAY
}

/** Moves `t` into business hours (08:00–19:59 UTC) on the same day, so no event sits on a month boundary. */
export function businessHours(t: number, rngMinute: number): number {
  const day = dayStart(t)
  const offset = t - day
  const clamped = Math.min(Math.max(offset, 8 * HOUR), 19 * HOUR + 59 * 60)
  return day + clamped - (clamped % 60) + (rngMinute % 60)
}
