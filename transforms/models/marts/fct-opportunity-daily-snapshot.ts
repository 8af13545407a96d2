import { sql } from 'kysely'
import { defineModel } from '../../framework/index.js'
import { fromItem } from '../staging/envelope/from-item.js'
import { FctOpportunityDailySnapshot } from './contracts.js'
import { fctOpportunityHistory } from './fct-opportunity-history.js'

/**
 * The history as a daily snapshot: each opportunity on each day from its creation through the
 * data's last change day, in the state that held at the day's last instant (a state that began and
 * ended within one day never shows). A view: rows are made when queried, filtered by the query.
 */
export const fctOpportunityDailySnapshot = defineModel({
  name: 'fct_opportunity_daily_snapshot',
  layer: 'marts',
  materialized: 'view',
  description: 'Each opportunity’s end-of-day state on every day, from its rebuilt history (a view).',
  inputs: { history: fctOpportunityHistory },
  columns: FctOpportunityDailySnapshot,
  query: ({ db, dialect }) => {
    const day = (ts: string) => dialect.toDate(sql.ref<string>(ts))
    return db
      .with('data_end', (qb) =>
        qb.selectFrom('history as h').select(sql<string>`max(${day('h.valid_from')})`.as('last_day')),
      )
      .selectFrom('history as h')
      .crossJoin('data_end as e')
      .crossJoin(
        fromItem<{ snapshot_date: string }, 'd'>(
          dialect.dateSeries(
            'day',
            day('h.valid_from'),
            sql<string>`CASE WHEN ${sql.ref('h.valid_to')} IS NULL THEN ${sql.ref('e.last_day')} ELSE ${dialect.dateAdd('day', -1, day('h.valid_to'))} END`,
            'd',
            'snapshot_date',
          ),
        ),
      )
      .select([
        'd.snapshot_date',
        'h.opportunity_id',
        'h.owner_id',
        'h.customer_id',
        'h.stage',
        'h.amount',
        'h.close_date',
        'h.forecast_category',
        'h.is_closed',
        'h.is_won',
        'h.is_qualified',
      ])
  },
})
