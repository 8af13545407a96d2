import { sql } from 'kysely'
import type { DataTest } from '../../framework/index.js'

/**
 * Every month after a customer's first carries last month's MRR as `previous_mrr`, and no month is
 * missing between its first month and its last row: the roll-forward chains month to month.
 * (A self-join; the test builder's kinds compare rows one by one or aggregates only.)
 */
const previousMonth: DataTest = {
  name: 'previous_mrr_is_last_months_mrr',
  kind: 'expression',
  severity: 'error',
  other: undefined,
  failing: (db, dialect) =>
    db
      .selectFrom('self as cur')
      .leftJoin('self as prev', (join) =>
        join
          .onRef('prev.customer_id', '=', 'cur.customer_id')
          .on((eb) =>
            eb('prev.month', '=', dialect.dateAdd('month', -1, sql<string>`${eb.ref('cur.month')}`)),
          ),
      )
      .select(['cur.customer_id', 'cur.month', 'cur.previous_mrr', 'prev.mrr as last_months_mrr'])
      .whereRef('cur.month', '>', 'cur.cohort_month')
      .where((eb) =>
        eb.or([
          eb('prev.customer_id', 'is', null),
          sql<boolean>`abs(${eb.ref('cur.previous_mrr')} - ${eb.ref('prev.mrr')}) > 0.000001`,
        ]),
      ),
}
export const previousMonthTest = Object.freeze(previousMonth)
