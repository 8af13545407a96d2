import { sql } from 'kysely'
import { defineModel } from '../../framework/index.js'
import { intFxRatesDaily } from '../intermediate/int-fx-rates-daily.js'
import { perPolicy } from '../per-policy.js'
import { stgFinanceGrossMargin } from '../staging/finance/stg-finance-gross-margin.js'
import { stgFinanceSmExpense } from '../staging/finance/stg-finance-sm-expense.js'
import { FctFinanceMonth } from './contracts.js'

/** Finance's monthly inputs side by side: S&M expense (reporting currency, at the month's first-day rate) and gross margin. */
export const fctFinanceMonth = perPolicy((policy) =>
  defineModel({
    name: 'fct_finance_month',
    layer: 'marts',
    materialized: 'table',
    description: `S&M expense in ${policy.options.reportingCurrency} and gross margin per month.`,
    inputs: { expense: stgFinanceSmExpense, margin: stgFinanceGrossMargin, fx: intFxRatesDaily(policy) },
    columns: FctFinanceMonth,
    query: ({ db }) =>
      db
        .with('expense_month', (qb) =>
          qb
            .selectFrom('expense as e')
            .leftJoin('fx', (join) =>
              join.onRef('fx.currency', '=', 'e.currency').onRef('fx.rate_date', '=', 'e.month'),
            )
            .select((eb) => [
              'e.month',
              eb.fn.sum<number>(sql`${eb.ref('e.amount')} * ${eb.ref('fx.rate')}`).as('sm_expense'),
            ])
            .groupBy('e.month'),
        )
        .with('all_months', (qb) =>
          qb
            .selectFrom('expense_month')
            .select('expense_month.month')
            .union(qb.selectFrom('margin').select('margin.month')),
        )
        .selectFrom('all_months as m')
        .leftJoin('expense_month as e', 'e.month', 'm.month')
        .leftJoin('margin as g', 'g.month', 'm.month')
        .select(['m.month', 'e.sm_expense', 'g.gross_margin']),
    tests: (t) => [t.unique('month'), t.notNull('month')],
  }),
)
