import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { financeSources } from '../../sources/finance.js'
import { payloadReader } from '../envelope/payload-reader.js'
import { rankedVersions } from '../envelope/versions.js'

/** Gross margin per month as a fraction (0.72 for 72%). */
export const stgFinanceGrossMargin = defineModel({
  name: 'stg_finance__gross_margin',
  layer: 'staging',
  materialized: 'view',
  description: 'Gross margin per month, latest landing each.',
  inputs: { raw: financeSources.grossMargin },
  columns: z.object({ month: z.iso.date(), gross_margin: z.number() }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(rankedVersions(db).as('v'))
      .select((eb) => {
        const p = payloadReader(dialect, eb.ref('v.payload'))
        return [
          p.date('month').$notNull().as('month'),
          p.number('gross_margin').$notNull().as('gross_margin'),
        ]
      })
      .where('v.live_rank', '=', 1)
      .where('v.is_deleted', '=', false),
  tests: (t) => [t.unique('month'), t.expression('is_a_fraction', (eb) => eb('gross_margin', '<=', 1))],
})
