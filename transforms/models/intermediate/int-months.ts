import { z } from 'zod'
import { defineModel } from '../../framework/index.js'
import { dimDate } from '../marts/dim-date.js'

/** The month spine: MRR snapshots and quota months join it by range, one row per month. */
export const intMonths = defineModel({
  name: 'int_months',
  layer: 'intermediate',
  materialized: 'table',
  description: 'One row per month of the date spine, with the instant its snapshot is taken at.',
  inputs: { days: dimDate },
  columns: z.object({
    month: z.iso.date(),
    /** The first instant after the month: a snapshot "at the month's last instant" sees what covers it. */
    snapshot_at: z.iso.datetime(),
  }),
  query: ({ db, dialect }) =>
    db
      .selectFrom('days')
      .select((eb) => [
        'days.month_start as month',
        dialect
          .cast<string>(dialect.dateAdd('month', 1, eb.ref('days.month_start')), 'timestamp')
          .as('snapshot_at'),
      ])
      .where('days.date_day', '=', (eb) => eb.ref('days.month_start')),
  tests: (t) => [t.unique('month')],
})
