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

const INFINITE = 2n ** 63n - 1n
const MAX_DATE_MS = 8_640_000_000_000_000n

/**
 * A TIMESTAMP given in microseconds since the epoch (UTC) as ISO-8601 with `Z` and milliseconds
 * (rounded down), `'infinity'`/`'-infinity'` for DuckDB's infinities, or undefined beyond the range
 * of `Date`. `raw` is the value in its own unit (seconds, millis, …), where the infinities are ±(2^63−1).
 */
export function timestampFromMicros(micros: bigint, raw: bigint = micros): string | undefined {
  if (raw === INFINITE) return 'infinity'
  if (raw === -INFINITE) return '-infinity'
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n)
  if (ms > MAX_DATE_MS || ms < -MAX_DATE_MS) return undefined
  return new Date(Number(ms)).toISOString()
}

/** A nested value (LIST, STRUCT, MAP elements) before it is written as JSON text. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue }

/** JSON text of a nested value; integers beyond 2^53 keep all their digits (JSON.stringify rejects bigint). */
export function jsonText(value: JsonValue): string {
  if (typeof value === 'bigint') return value.toString()
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`)
    .join(',')}}`
}

export type { SqlValue }
