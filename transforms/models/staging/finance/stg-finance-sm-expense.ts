import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { financeSources } from '../../sources/finance.js'
import { payloadReader } from '../envelope/payload-reader.js'
import { rankedVersions } from '../envelope/versions.js'

/** Sales and marketing expense per month and currency (the month's first day). */
export const stgFinanceSmExpense = defineModel({
  name: 'stg_finance__sm_expense',
  layer: 'staging',
  materialized: 'view',
  description: 'S&M expense per month and currency, latest landing each.',
  inputs: { raw: financeSources.smExpense },
  columns: z.object({ month: z.iso.date(), currency: z.string(), amount: z.number() }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(rankedVersions(db).as('v'))
      .select((eb) => {
        const p = payloadReader(dialect, eb.ref('v.payload'))
        return [
          p.date('month').$notNull().as('month'),
          p.currency('currency').$notNull().as('currency'),
          p.number('amount').$notNull().as('amount'),
        ]
      })
      .where('v.live_rank', '=', 1)
      .where('v.is_deleted', '=', false),
  tests: (t) => [t.unique(['month', 'currency'])],
})
