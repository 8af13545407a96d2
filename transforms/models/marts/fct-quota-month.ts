import { sql } from 'kysely'
import { defineModel } from '../../framework/index.js'
import { intFxRatesDaily } from '../intermediate/int-fx-rates-daily.js'
import { intMonths } from '../intermediate/int-months.js'
import { perPolicy } from '../per-policy.js'
import { stgFinanceQuotas } from '../staging/finance/stg-finance-quotas.js'
import { FctQuotaMonth } from './contracts.js'

/** Each quota spread evenly over the months its period touches, in the reporting currency at the period's start. */
export const fctQuotaMonth = perPolicy((policy) =>
  defineModel({
    name: 'fct_quota_month',
    layer: 'marts',
    materialized: 'table',
    description: `Quota per owner and month in ${policy.options.reportingCurrency}.`,
    inputs: { quotas: stgFinanceQuotas, months: intMonths, fx: intFxRatesDaily(policy) },
    columns: FctQuotaMonth,
    query: ({ db, dialect }) => {
      const first = (e: unknown) => dialect.dateTrunc('month', sql<string>`${e}`)
      return db
        .selectFrom('quotas as q')
        .innerJoin('months as m', (join) =>
          join.on((eb) =>
            eb.and([
              eb('m.month', '>=', first(eb.ref('q.period_start'))),
              eb('m.month', '<=', first(eb.ref('q.period_end'))),
            ]),
          ),
        )
        .leftJoin('fx', (join) =>
          join.onRef('fx.currency', '=', 'q.currency').onRef('fx.rate_date', '=', 'q.period_start'),
        )
        .select((eb) => {
          const months = sql<number>`(${dialect.dateDiff('month', first(eb.ref('q.period_start')), first(eb.ref('q.period_end')))} + 1)`
          return [
            'q.owner_id',
            'm.month',
            eb.fn.sum<number>(sql`${eb.ref('q.amount')} * ${eb.ref('fx.rate')} / ${months}`).as('quota'),
          ]
        })
        .groupBy(['q.owner_id', 'm.month'])
    },
    tests: (t) => [t.unique(['owner_id', 'month']), t.notNull('owner_id'), t.notNull('month')],
  }),
)
