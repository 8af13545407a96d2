import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../framework/index.js'
import { dimDate } from '../marts/dim-date.js'
import { perPolicy } from '../per-policy.js'
import { stgFinanceFxRates } from '../staging/finance/stg-finance-fx-rates.js'

/**
 * A rate for every currency on every day of the date spine, into the policy's reporting currency:
 * the latest rate on or before the day (the earliest one before the file starts), divided by the
 * reporting currency's own rate that day, so a file quoted in another base still converts. The
 * reporting currency is 1 even when the file does not list it. Facts then join on (currency, day).
 */
export const intFxRatesDaily = perPolicy((policy) =>
  defineModel({
    name: 'int_fx_rates_daily',
    layer: 'intermediate',
    materialized: 'table',
    description: `Daily exchange rates into ${policy.options.reportingCurrency}, carried forward over gaps.`,
    inputs: { rates: stgFinanceFxRates, days: dimDate },
    columns: z.object({ rate_date: z.iso.date(), currency: z.string(), rate: z.number() }),
    query: ({ db }) => {
      const reporting = policy.options.reportingCurrency
      return db
        .with('ranked', (qb) =>
          qb.selectFrom('rates').select((eb) => [
            'rates.currency',
            'rates.rate_date',
            'rates.rate_to_reporting',
            eb.fn
              .agg<string | null>('lead', ['rates.rate_date'])
              .over((o) => o.partitionBy('rates.currency').orderBy('rates.rate_date'))
              .as('next_date'),
            eb.fn
              .agg<number>('row_number')
              .over((o) => o.partitionBy('rates.currency').orderBy('rates.rate_date'))
              .as('n'),
          ]),
        )
        .with('filled', (qb) =>
          qb
            .selectFrom('days')
            .innerJoin('ranked', (join) =>
              join.on((eb) =>
                eb.and([
                  eb.or([eb('days.date_day', '>=', eb.ref('ranked.rate_date')), eb('ranked.n', '=', 1)]),
                  eb.or([
                    eb('ranked.next_date', 'is', null),
                    eb('days.date_day', '<', eb.ref('ranked.next_date')),
                  ]),
                ]),
              ),
            )
            .select(['days.date_day', 'ranked.currency', 'ranked.rate_to_reporting']),
        )
        .with('currencies', (qb) =>
          qb
            .selectFrom('rates')
            .select('rates.currency')
            .union(qb.selectNoFrom(sql<string>`${reporting}`.as('currency'))),
        )
        .selectFrom('days')
        .crossJoin('currencies')
        .leftJoin('filled as own', (join) =>
          join.onRef('own.date_day', '=', 'days.date_day').onRef('own.currency', '=', 'currencies.currency'),
        )
        .leftJoin('filled as base', (join) =>
          join.onRef('base.date_day', '=', 'days.date_day').on('base.currency', '=', reporting),
        )
        .select((eb) => [
          'days.date_day as rate_date',
          'currencies.currency',
          sql<number>`coalesce(${eb.ref('own.rate_to_reporting')}, CASE WHEN ${eb.ref('currencies.currency')} = ${reporting} THEN 1 END) / coalesce(${eb.ref('base.rate_to_reporting')}, 1)`.as(
            'rate',
          ),
        ])
        .where(
          sql<boolean>`coalesce(${sql.ref('own.rate_to_reporting')}, CASE WHEN ${sql.ref('currencies.currency')} = ${reporting} THEN 1 END) IS NOT NULL`,
        )
    },
    tests: (t) => [
      t.unique(['rate_date', 'currency']),
      t.expression('rate_is_positive', (eb) => eb('rate', '>', 0)),
    ],
  }),
)
