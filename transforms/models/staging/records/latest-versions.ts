import type { Kysely } from 'kysely'
import type { EnvelopeRow } from '../../../framework/index.js'

/** A query's tables when it reads a raw source under the name `raw`. */
export interface RawDb {
  readonly raw: EnvelopeRow
}

/**
 * Every landed version of each record, ranked: `version = 1` is the latest by the vendor's cursor
 * (`_updated_at`), then by landing time (sources without a cursor, like ad reports that restate
 * recent days), then by payload text so that two identical-looking landings never pick at random.
 * Filter on `version = 1` outside, then parse the payload: JSON is parsed once per kept record.
 */
export function rankedVersions<DB extends RawDb>(db: Kysely<DB>) {
  // The query context's Kysely is typed by all of a model's inputs; only `raw` is read here.
  return (db as unknown as Kysely<RawDb>).selectFrom('raw').select((eb) => [
    'raw._id',
    'raw._deleted',
    'raw._updated_at',
    'raw._ingested_at',
    'raw.payload',
    eb.fn
      .agg<number>('row_number')
      .over((o) =>
        o
          .partitionBy('raw._id')
          .orderBy('raw._updated_at', (ob) => ob.desc().nullsLast())
          .orderBy('raw._ingested_at', 'desc')
          .orderBy('raw.payload', 'desc'),
      )
      .as('version'),
  ])
}
