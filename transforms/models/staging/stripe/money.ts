import { type Expression, type RawBuilder, sql } from 'kysely'
import type { SqlDialect } from '../../../../core/sql/dialect.js'

/**
 * Stripe amounts are integers in the currency's minor unit. Zero-decimal currencies have no minor
 * unit (¥1,000 is `1000`); three-decimal ones count thousandths. The lists are Stripe's
 * (docs.stripe.com/currencies).
 */
export const ZERO_DECIMAL_CURRENCIES = [
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
] as const
export const THREE_DECIMAL_CURRENCIES = ['BHD', 'JOD', 'KWD', 'OMR', 'TND'] as const

const list = (codes: readonly string[]) => sql.raw(codes.map((c) => `'${c}'`).join(', '))

/** Minor units per major unit of an upper-case currency code. */
export function minorUnits(currency: Expression<string | null>): RawBuilder<number> {
  return sql<number>`CASE WHEN ${currency} IN (${list(ZERO_DECIMAL_CURRENCIES)}) THEN 1 WHEN ${currency} IN (${list(THREE_DECIMAL_CURRENCIES)}) THEN 1000 ELSE 100 END`
}

/** An amount in minor units as a DOUBLE in the major unit (dollars, euros, yen). */
export function toMajor(
  dialect: SqlDialect,
  amount: Expression<number | null>,
  currency: Expression<string | null>,
): RawBuilder<number | null> {
  return dialect.safeDiv(amount, minorUnits(currency))
}
