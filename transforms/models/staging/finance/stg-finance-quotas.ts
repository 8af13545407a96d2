import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { financeSources } from '../../sources/finance.js'
import { payloadReader } from '../envelope/payload-reader.js'
import { rankedVersions } from '../envelope/versions.js'

/** Sales quotas per owner and quota period (dates inclusive). */
export const stgFinanceQuotas = defineModel({
  name: 'stg_finance__quotas',
  layer: 'staging',
  materialized: 'view',
  description: 'Quotas per owner and period, latest landing each.',
  inputs: { raw: financeSources.quotas },
  columns: z.object({
    owner_id: z.string(),
    period_start: z.iso.date(),
    period_end: z.iso.date(),
    currency: z.string(),
    amount: z.number(),
  }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(rankedVersions(db).as('v'))
      .select((eb) => {
        const p = payloadReader(dialect, eb.ref('v.payload'))
        return [
          p.text('owner_id').$notNull().as('owner_id'),
          p.date('period_start').$notNull().as('period_start'),
          p.date('period_end').$notNull().as('period_end'),
          p.currency('currency').$notNull().as('currency'),
          p.number('amount').$notNull().as('amount'),
        ]
      })
      .where('v.live_rank', '=', 1)
      .where('v.is_deleted', '=', false),
  tests: (t) => [
    t.unique(['owner_id', 'period_start']),
    t.expression('period_is_ordered', (eb) => eb('period_end', '>=', eb.ref('period_start'))),
  ],
})
