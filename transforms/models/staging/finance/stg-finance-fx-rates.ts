import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { financeSources } from '../../sources/finance.js'
import { payloadReader } from '../envelope/payload-reader.js'
import { rankedVersions } from '../envelope/versions.js'

/** Exchange rates as finance gives them: units of the file's reporting currency per unit of `currency`. */
export const stgFinanceFxRates = defineModel({
  name: 'stg_finance__fx_rates',
  layer: 'staging',
  materialized: 'view',
  description: 'Daily exchange rates to the reporting currency, latest landing per date and currency.',
  inputs: { raw: financeSources.fxRates },
  columns: z.object({ rate_date: z.iso.date(), currency: z.string(), rate_to_reporting: z.number() }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(rankedVersions(db).as('v'))
      .select((eb) => {
        const p = payloadReader(dialect, eb.ref('v.payload'))
        return [
          p.date('date').$notNull().as('rate_date'),
          p.currency('currency').$notNull().as('currency'),
          p.number('rate_to_reporting').$notNull().as('rate_to_reporting'),
        ]
      })
      .where('v.live_rank', '=', 1)
      .where('v.is_deleted', '=', false),
  tests: (t) => [t.unique(['rate_date', 'currency'])],
})
