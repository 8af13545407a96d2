import { z } from 'zod'

/**
 * Field types shared by the contracts. CSV exports (Salesforce, ads, finance) deliver every value
 * as text, so the "text" variants coerce: an empty cell is null, "true"/"false" are booleans,
 * numbers and dates are checked and typed. They also accept already-typed JSON values, so the same
 * contract reads a CSV export and an API response.
 */

const blankToNull = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? null : value

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const toNumber = (value: unknown): unknown => {
  const v = blankToNull(value)
  return typeof v === 'string' && NUMBER.test(v.trim()) ? Number(v.trim()) : v
}

const TRUE = new Set(['true', '1', 'yes'])
const FALSE = new Set(['false', '0', 'no'])
const toBoolean = (value: unknown): unknown => {
  const v = blankToNull(value)
  if (typeof v !== 'string') return v
  const lower = v.trim().toLowerCase()
  return TRUE.has(lower) ? true : FALSE.has(lower) ? false : v
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text)
  if (!m) return false
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return date.toISOString().slice(0, 10) === text
}

// 2024-01-15T10:00:00Z, …00.000Z, …+00:00 and Salesforce's …+0000.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/

/** ISO-8601 UTC of a date-time with a time zone, or undefined. */
export function isoDateTime(text: string): string | undefined {
  if (!DATE_TIME.test(text) || !isCalendarDate(text.slice(0, 10))) return undefined
  const withColon = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
  const ms = Date.parse(withColon)
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString()
}

/** ISO-8601 UTC of Unix seconds (Stripe's timestamps). */
export function fromEpochSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString()
}

const dateTimeString = z.string().transform((text, ctx) => {
  const iso = isoDateTime(text.trim())
  if (iso === undefined) {
    ctx.issues.push({
      code: 'custom',
      message: 'expected an ISO-8601 date-time with a time zone',
      input: text,
    })
    return z.NEVER
  }
  return iso
})

const dateString = z
  .string()
  .refine((text) => isCalendarDate(text), { message: 'expected a date YYYY-MM-DD' })

/** Required, non-empty text. */
export const requiredText = () => z.preprocess(blankToNull, z.string())
/** A required identifier; a JSON number is taken as its decimal text. */
export const requiredId = () =>
  z.preprocess(
    (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : blankToNull(v)),
    z.string(),
  )
/** Optional text; empty → null. */
export const text = () => z.preprocess(blankToNull, z.string().nullable()).optional()
export const requiredNumber = () => z.preprocess(toNumber, z.number())
export const number = () => z.preprocess(toNumber, z.number().nullable()).optional()
export const requiredInteger = () => z.preprocess(toNumber, z.int())
export const integer = () => z.preprocess(toNumber, z.int().nullable()).optional()
export const requiredBoolean = () => z.preprocess(toBoolean, z.boolean())
export const boolean = () => z.preprocess(toBoolean, z.boolean().nullable()).optional()
export const requiredDate = () => z.preprocess(blankToNull, dateString)
export const date = () => z.preprocess(blankToNull, dateString.nullable()).optional()
/** A date-time with a time zone, normalized to ISO-8601 UTC. */
export const requiredDateTime = () => z.preprocess(blankToNull, dateTimeString)
export const dateTime = () => z.preprocess(blankToNull, dateTimeString.nullable()).optional()
/** A three-letter ISO currency code, any case (Stripe writes "usd"). */
export const requiredCurrency = () =>
  z.preprocess(blankToNull, z.string().regex(/^[A-Za-z]{3}$/, 'expected a 3-letter currency code'))

/** A month as YYYY-MM or its first day YYYY-MM-01, normalized to YYYY-MM-01. */
export const requiredMonth = () =>
  z.preprocess(
    blankToNull,
    z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])(-01)?$/, 'expected a month YYYY-MM (or its first day YYYY-MM-01)')
      .transform((m) => (m.length === 7 ? `${m}-01` : m)),
  )

/** Unix seconds (Stripe), up to the end of year 9999 so it is always a valid date. */
export const epochSeconds = () => z.int().nonnegative().max(253_402_300_799, 'expected Unix seconds')
