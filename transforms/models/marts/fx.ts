import { type Expression, type RawBuilder, sql } from 'kysely'

/** An amount in its own currency converted with a joined daily rate (int_fx_rates_daily). */
export function converted(
  amount: Expression<number | null>,
  rate: Expression<number | null>,
): RawBuilder<number> {
  return sql<number>`coalesce(${amount}, 0) * ${rate}`
}

/** A native amount that is never NULL (Stripe omits zero amounts in places). */
export function native(amount: Expression<number | null>): RawBuilder<number> {
  return sql<number>`coalesce(${amount}, 0)`
}
