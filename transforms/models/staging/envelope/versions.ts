import { type QueryCreator, sql } from 'kysely'
import type { EnvelopeRow } from '../../../framework/index.js'

/** The tables of a query that reads a raw source under the name `raw`. */
export interface RawTables {
  readonly raw: EnvelopeRow
}

/**
 * Every landed version of each record, ranked: `live_rank = 1` is the latest version that is not
 * a delete (or the latest delete when the record was never seen alive), and `is_deleted` says
 * whether the latest version of all is a delete. So a deleted record keeps its last known fields
 * and is flagged, never dropped.
 *
 * Latest means by the vendor cursor, then by landing time. A delete without a cursor (Stripe's
 * `{"id", "deleted": true}`) ranks by its landing time, so it still supersedes what came before.
 */
export function rankedVersions<DB extends RawTables>(qb: QueryCreator<DB>) {
  // Kysely is invariant in its tables; only `raw` is read here, whatever else the query has.
  const db = qb as unknown as QueryCreator<RawTables>
  const cursor = sql<string>`coalesce(${sql.ref('raw._updated_at')}, ${sql.ref('raw._ingested_at')})`
  return db.selectFrom('raw').select((eb) => [
    'raw._id',
    'raw.payload',
    'raw._ingested_at',
    eb.fn
      .agg<boolean>('first_value', ['raw._deleted'])
      .over((o) => o.partitionBy('raw._id').orderBy(cursor, 'desc').orderBy('raw._ingested_at', 'desc'))
      .as('is_deleted'),
    eb.fn
      .agg<number>('row_number')
      .over((o) =>
        o
          .partitionBy('raw._id')
          .orderBy('raw._deleted', 'asc')
          .orderBy(cursor, 'desc')
          .orderBy('raw._ingested_at', 'desc'),
      )
      .as('live_rank'),
  ])
}
