import type { SqlValue } from './engine.js'

const SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/** A 64/128-bit integer as a number when exact, else as the bigint itself. */
export function integerValue(value: bigint): number | bigint {
  return value <= SAFE && value >= -SAFE ? Number(value) : value
}

/** A `Date` that holds a DATE (midnight UTC) as `'YYYY-MM-DD'`. */
export function dateValue(date: Date): string {
  return date.toISOString().slice(0, 10)
}

/** A `Date` that holds a TIMESTAMP (UTC) as ISO-8601 with `Z`. */
export function timestampValue(date: Date): string {
  return date.toISOString()
}

/** Athena's text for a TIMESTAMP (`2024-01-31 10:00:00.000`, no zone, UTC) as ISO-8601 with `Z`. */
export function athenaTimestampValue(text: string): string {
  const [day, time = '00:00:00'] = text.split(' ')
  const [hms = '00:00:00', fraction = ''] = time.split('.')
  return `${day}T${hms}.${fraction.padEnd(3, '0').slice(0, 3)}Z`
}

export type { SqlValue }
