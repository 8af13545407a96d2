import { sql } from 'kysely'
import { defineModel } from '../../framework/index.js'
import { intBillingDates } from '../intermediate/int-billing-dates.js'
import { fromItem } from '../staging/envelope/from-item.js'
import { DimDate } from './contracts.js'

/** The day spine over the data's range (whole months), so every period exists even when empty. */
export const dimDate = defineModel({
  name: 'dim_date',
  layer: 'marts',
  materialized: 'table',
  description: 'One row per day from the first to the last month of the data.',
  inputs: { range: intBillingDates },
  columns: DimDate,
  query: ({ db, dialect }) =>
    db
      .selectFrom('range')
      .crossJoin(
        fromItem<{ day: string }, 's'>(
          dialect.dateSeries('day', sql.ref('range.first_day'), sql.ref('range.last_day'), 's', 'day'),
        ),
      )
      .select((eb) => {
        const day = eb.ref('s.day')
        return [
          's.day as date_day',
          dialect.dateTrunc('week', day).as('week_start'),
          dialect.dateTrunc('month', day).as('month_start'),
          dialect.dateTrunc('quarter', day).as('quarter_start'),
          dialect.dateTrunc('year', day).as('year_start'),
          sql<boolean>`${day} = ${dialect.lastDayOfMonth(day)}`.as('is_month_end'),
        ]
      }),
  tests: (t) => [t.unique('date_day'), t.notNull('date_day')],
})
