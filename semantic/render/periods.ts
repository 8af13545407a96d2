import { type RawBuilder, sql } from 'kysely'
import type { DateUnit, Sql, SqlDialect } from '../../core/sql/dialect.js'
import type { Grain } from '../spec/grain.js'

/**
 * Period arithmetic on the fiscal calendar, composed only from dialect hooks. Quarters and years
 * start in `fiscalYearStartMonth`; days, weeks (Monday) and months are calendar periods.
 */
export class Periods {
  constructor(
    private readonly dialect: SqlDialect,
    private readonly grain: Grain,
    private readonly fiscalYearStartMonth: number,
  ) {}

  /** First day of the period holding `date` (a DATE expression). */
  start(date: Sql<string>, grain: Grain = this.grain): RawBuilder<string> {
    const shift = this.fiscalYearStartMonth - 1
    if ((grain === 'quarter' || grain === 'year') && shift > 0) {
      const d = this.dialect
      return d.dateAdd('month', shift, d.dateTrunc(grain, d.dateAdd('month', -shift, date)))
    }
    return this.dialect.dateTrunc(grain as DateUnit, date)
  }

  /** First day of the period after the one starting at `periodStart` (exclusive end). */
  end(periodStart: Sql<string>): RawBuilder<string> {
    return this.dialect.dateAdd(this.grain, 1, periodStart)
  }

  /** The period `n` periods before (negative: after) the one starting at `periodStart`. */
  shift(periodStart: Sql<string>, n: number): RawBuilder<string> {
    return this.dialect.dateAdd(this.grain, -n, periodStart)
  }

  /** The last snapshot (of `snapshotGrain`) inside the period starting at `periodStart`. */
  lastSnapshot(periodStart: Sql<string>, snapshotGrain: Grain): RawBuilder<string> {
    return this.start(this.dialect.dateAdd('day', -1, this.end(periodStart)), snapshotGrain)
  }

  /** Whole periods from `from` to `to`, both period starts. */
  between(from: Sql<string>, to: Sql<string>): RawBuilder<number> {
    const d = this.dialect
    switch (this.grain) {
      case 'day':
        return d.dateDiff('day', from, to)
      case 'week':
        return d.intDiv(d.dateDiff('day', from, to), sql.lit(7))
      case 'month':
        return d.dateDiff('month', from, to)
      case 'quarter':
        return d.intDiv(d.dateDiff('month', from, to), sql.lit(3))
      case 'year':
        return d.intDiv(d.dateDiff('month', from, to), sql.lit(12))
    }
  }
}
