import { type Expression, type Kysely, type RawBuilder, sql } from 'kysely'
import type { RowOf } from '../../../framework/index.js'
import { activePolicy } from '../../billing.js'
import type { stgFinanceFxRates } from '../finance/stg-finance-fx-rates.js'

/** The currency every `amount`/`spend` column is reported in: the active revenue policy's. */
export const REPORTING_CURRENCY = activePolicy.options.reportingCurrency

/** A query's tables when it reads the exchange rates under the name `fx`. */
export interface FxDb {
  readonly fx: RowOf<typeof stgFinanceFxRates>
}

/**
 * Each rate with the day the next one for its currency starts, so a lookup is an interval join
 * valid on any day, inside the data's calendar or not (a close date next year): a day without its
 * own rate (a weekend, a gap) takes the latest rate before it, a day before the file starts its
 * earliest rate — the same rule as the billing side's daily rates (int_fx_rates_daily).
 * Join it twice: as `rate` for the record's currency and as `base` for the reporting currency
 * (`rateOn`), then convert with `inReporting`.
 */
export function rateIntervals<DB extends FxDb>(db: Kysely<DB>) {
  return (db as unknown as Kysely<FxDb>).selectFrom('fx').select((eb) => [
    'fx.currency',
    sql<
      string | null
    >`CASE WHEN row_number() OVER (PARTITION BY ${eb.ref('fx.currency')} ORDER BY ${eb.ref('fx.rate_date')}) > 1 THEN ${eb.ref('fx.rate_date')} END`.as(
      'valid_from',
    ),
    eb.fn
      .agg<string | null>('lead', ['fx.rate_date'])
      .over((o) => o.partitionBy('fx.currency').orderBy('fx.rate_date'))
      .as('valid_to'),
    'fx.rate_to_reporting',
  ])
}

/** The join condition for `rateIntervals` joined as `alias`: the rate of `currency` (upper case) on `day`. */
export function rateOn(
  alias: 'rate' | 'base',
  currency: Expression<string | null>,
  day: Expression<string | null>,
): RawBuilder<boolean> {
  const column = (name: string) => sql.ref(`${alias}.${name}`)
  return sql<boolean>`${column('currency')} = ${currency} AND (${column('valid_from')} IS NULL OR ${day} >= ${column('valid_from')}) AND (${column('valid_to')} IS NULL OR ${day} < ${column('valid_to')})`
}

/** The join condition for the reporting currency's own rate, joined as `base`. */
export function baseRateOn(day: Expression<string | null>): RawBuilder<boolean> {
  return rateOn('base', sql<string>`${REPORTING_CURRENCY}`, day)
}

/**
 * An amount in the reporting currency: itself when already in it, else times the rate of its
 * currency over the reporting currency's own rate that day (1 when the file does not list it, as
 * when the file is quoted in the reporting currency); NULL when the currency has no rate at all.
 */
export function inReporting(
  amount: Expression<number | null>,
  currency: Expression<string | null>,
): RawBuilder<number | null> {
  return sql<
    number | null
  >`CASE WHEN ${currency} = ${REPORTING_CURRENCY} THEN ${amount} ELSE ${amount} * ${sql.ref('rate.rate_to_reporting')} / coalesce(${sql.ref('base.rate_to_reporting')}, 1) END`
}
