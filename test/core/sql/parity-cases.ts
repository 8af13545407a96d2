import { type Expression, sql } from 'kysely'
import type { SqlValue } from '../../../core/engines/engine.js'
import type { DialectName, JsonPath, SqlDialect } from '../../../core/sql/dialect.js'

/**
 * One call of an expression helper. `expected` is Trino's documented result (what Athena returns)
 * and DuckDB must return it too; `sql` pins what every dialect renders for `SELECT <call> AS v`.
 */
export interface ExpressionCase {
  readonly method: keyof SqlDialect
  readonly name: string
  readonly build: (d: SqlDialect) => Expression<unknown>
  readonly expected: SqlValue
  /** DuckDB's result type where it is part of the contract (DATE in, DATE out; BIGINT counts). */
  readonly type?: string
  readonly sql: Record<DialectName, string>
}

const date = (iso: string) => (d: SqlDialect) => d.dateLiteral(iso)
const ts = (iso: string) => (d: SqlDialect) => d.timestampLiteral(iso)
const text = (value: string | null) => (d: SqlDialect) => sql.raw<string | null>(d.literal(value))
const nullText = (d: SqlDialect) => d.cast<string | null>(sql`NULL`, 'varchar')

/** A JSON document with nesting, arrays, a dotted key, JSON null, an escaped quote and non-ASCII text. */
const DOC = JSON.stringify({
  a: {
    b: 'x',
    n: 1,
    f: 1.5,
    t: true,
    z: null,
    arr: [{ id: 'i0' }, { id: 'i1' }],
    'seg.date': '2024-01-31',
    obj: { k: 1 },
  },
  s: 'he said "hi" – ünï',
})
const jsonString =
  (path: JsonPath, doc: string | null = DOC) =>
  (d: SqlDialect) =>
    d.jsonString(text(doc)(d), path)
const jsonText =
  (path: JsonPath, doc: string | null = DOC) =>
  (d: SqlDialect) =>
    d.jsonText(text(doc)(d), path)

/** A small document for `jsonStringAt`: a dotted key and an object member. */
const MEMBER_DOC = JSON.stringify({ a: { b: 'x', 'seg.date': '2024-01-31', obj: { k: 1 } } })

export const EXPRESSION_CASES: readonly ExpressionCase[] = [
  // dateTrunc: 2024-08-22 is a Thursday; weeks start on Monday on both engines.
  ...(
    [
      [
        'day',
        '2024-08-22',
        '2024-08-22',
        {
          duckdb: "SELECT CAST(date_trunc('day', DATE '2024-08-22') AS DATE) AS v",
          athena: "SELECT date_trunc('day', DATE '2024-08-22') AS v",
        },
      ],
      [
        'week',
        '2024-08-22',
        '2024-08-19',
        {
          duckdb: "SELECT CAST(date_trunc('week', DATE '2024-08-22') AS DATE) AS v",
          athena: "SELECT date_trunc('week', DATE '2024-08-22') AS v",
        },
      ],
      [
        'week',
        '2024-08-25',
        '2024-08-19',
        {
          duckdb: "SELECT CAST(date_trunc('week', DATE '2024-08-25') AS DATE) AS v",
          athena: "SELECT date_trunc('week', DATE '2024-08-25') AS v",
        },
      ],
      [
        'week',
        '2024-08-19',
        '2024-08-19',
        {
          duckdb: "SELECT CAST(date_trunc('week', DATE '2024-08-19') AS DATE) AS v",
          athena: "SELECT date_trunc('week', DATE '2024-08-19') AS v",
        },
      ],
      [
        'month',
        '2024-08-22',
        '2024-08-01',
        {
          duckdb: "SELECT CAST(date_trunc('month', DATE '2024-08-22') AS DATE) AS v",
          athena: "SELECT date_trunc('month', DATE '2024-08-22') AS v",
        },
      ],
      [
        'quarter',
        '2024-08-22',
        '2024-07-01',
        {
          duckdb: "SELECT CAST(date_trunc('quarter', DATE '2024-08-22') AS DATE) AS v",
          athena: "SELECT date_trunc('quarter', DATE '2024-08-22') AS v",
        },
      ],
      [
        'year',
        '2024-08-22',
        '2024-01-01',
        {
          duckdb: "SELECT CAST(date_trunc('year', DATE '2024-08-22') AS DATE) AS v",
          athena: "SELECT date_trunc('year', DATE '2024-08-22') AS v",
        },
      ],
    ] as const
  ).map(
    ([unit, input, expected, pinned]): ExpressionCase => ({
      method: 'dateTrunc',
      name: `dateTrunc ${unit} of ${input} is ${expected}, a DATE`,
      build: (d) => d.dateTrunc(unit, date(input)(d)),
      expected,
      type: 'DATE',
      sql: pinned,
    }),
  ),

  // dateAdd: month ends clamp, negative amounts go back, DATE stays DATE.
  ...(
    [
      [
        'day',
        1,
        '2024-02-28',
        '2024-02-29',
        {
          duckdb: "SELECT CAST(DATE '2024-02-28' + to_days(1) AS DATE) AS v",
          athena: "SELECT date_add('day', 1, DATE '2024-02-28') AS v",
        },
      ],
      [
        'day',
        -1,
        '2024-03-01',
        '2024-02-29',
        {
          duckdb: "SELECT CAST(DATE '2024-03-01' + to_days(-1) AS DATE) AS v",
          athena: "SELECT date_add('day', -1, DATE '2024-03-01') AS v",
        },
      ],
      [
        'week',
        2,
        '2024-01-31',
        '2024-02-14',
        {
          duckdb: "SELECT CAST(DATE '2024-01-31' + to_days(14) AS DATE) AS v",
          athena: "SELECT date_add('week', 2, DATE '2024-01-31') AS v",
        },
      ],
      [
        'month',
        1,
        '2024-01-31',
        '2024-02-29',
        {
          duckdb: "SELECT CAST(DATE '2024-01-31' + to_months(1) AS DATE) AS v",
          athena: "SELECT date_add('month', 1, DATE '2024-01-31') AS v",
        },
      ],
      [
        'month',
        1,
        '2023-01-31',
        '2023-02-28',
        {
          duckdb: "SELECT CAST(DATE '2023-01-31' + to_months(1) AS DATE) AS v",
          athena: "SELECT date_add('month', 1, DATE '2023-01-31') AS v",
        },
      ],
      [
        'month',
        -1,
        '2024-03-31',
        '2024-02-29',
        {
          duckdb: "SELECT CAST(DATE '2024-03-31' + to_months(-1) AS DATE) AS v",
          athena: "SELECT date_add('month', -1, DATE '2024-03-31') AS v",
        },
      ],
      [
        'quarter',
        1,
        '2024-11-30',
        '2025-02-28',
        {
          duckdb: "SELECT CAST(DATE '2024-11-30' + to_months(3) AS DATE) AS v",
          athena: "SELECT date_add('quarter', 1, DATE '2024-11-30') AS v",
        },
      ],
      [
        'year',
        1,
        '2024-02-29',
        '2025-02-28',
        {
          duckdb: "SELECT CAST(DATE '2024-02-29' + to_months(12) AS DATE) AS v",
          athena: "SELECT date_add('year', 1, DATE '2024-02-29') AS v",
        },
      ],
      [
        'year',
        -2,
        '2024-06-15',
        '2022-06-15',
        {
          duckdb: "SELECT CAST(DATE '2024-06-15' + to_months(-24) AS DATE) AS v",
          athena: "SELECT date_add('year', -2, DATE '2024-06-15') AS v",
        },
      ],
    ] as const
  ).map(
    ([unit, amount, input, expected, pinned]): ExpressionCase => ({
      method: 'dateAdd',
      name: `dateAdd ${amount} ${unit} to ${input} is ${expected}, a DATE`,
      build: (d) => d.dateAdd(unit, amount, date(input)(d)),
      expected,
      type: 'DATE',
      sql: pinned,
    }),
  ),
  {
    method: 'dateAdd',
    name: 'dateAdd takes the amount from an expression',
    build: (d) => d.dateAdd('month', sql.lit(2), date('2024-01-31')(d)),
    expected: '2024-03-31',
    type: 'DATE',
    sql: {
      duckdb: "SELECT CAST(DATE '2024-01-31' + to_months(CAST(2 AS INTEGER) * 1) AS DATE) AS v",
      athena: "SELECT date_add('month', CAST(2 AS BIGINT), DATE '2024-01-31') AS v",
    },
  },

  // dateDiff: whole units elapsed (Trino), not boundaries crossed (DuckDB's date_diff).
  ...(
    [
      [
        'month',
        '2024-01-31',
        '2024-02-01',
        0,
        {
          duckdb: "SELECT datesub('month', DATE '2024-01-31', DATE '2024-02-01') AS v",
          athena: "SELECT date_diff('month', DATE '2024-01-31', DATE '2024-02-01') AS v",
        },
      ],
      [
        'month',
        '2024-01-31',
        '2024-02-29',
        1,
        {
          duckdb: "SELECT datesub('month', DATE '2024-01-31', DATE '2024-02-29') AS v",
          athena: "SELECT date_diff('month', DATE '2024-01-31', DATE '2024-02-29') AS v",
        },
      ],
      [
        'month',
        '2024-01-15',
        '2024-03-14',
        1,
        {
          duckdb: "SELECT datesub('month', DATE '2024-01-15', DATE '2024-03-14') AS v",
          athena: "SELECT date_diff('month', DATE '2024-01-15', DATE '2024-03-14') AS v",
        },
      ],
      [
        'month',
        '2024-03-15',
        '2024-01-16',
        -1,
        {
          duckdb: "SELECT datesub('month', DATE '2024-03-15', DATE '2024-01-16') AS v",
          athena: "SELECT date_diff('month', DATE '2024-03-15', DATE '2024-01-16') AS v",
        },
      ],
      [
        'day',
        '2024-01-01',
        '2024-03-01',
        60,
        {
          duckdb: "SELECT datesub('day', DATE '2024-01-01', DATE '2024-03-01') AS v",
          athena: "SELECT date_diff('day', DATE '2024-01-01', DATE '2024-03-01') AS v",
        },
      ],
      [
        'day',
        '2024-03-01',
        '2024-01-01',
        -60,
        {
          duckdb: "SELECT datesub('day', DATE '2024-03-01', DATE '2024-01-01') AS v",
          athena: "SELECT date_diff('day', DATE '2024-03-01', DATE '2024-01-01') AS v",
        },
      ],
      [
        'week',
        '2024-01-01',
        '2024-01-14',
        1,
        {
          duckdb: "SELECT datesub('week', DATE '2024-01-01', DATE '2024-01-14') AS v",
          athena: "SELECT date_diff('week', DATE '2024-01-01', DATE '2024-01-14') AS v",
        },
      ],
      [
        'quarter',
        '2024-01-01',
        '2024-12-31',
        3,
        {
          duckdb: "SELECT datesub('quarter', DATE '2024-01-01', DATE '2024-12-31') AS v",
          athena: "SELECT date_diff('quarter', DATE '2024-01-01', DATE '2024-12-31') AS v",
        },
      ],
      [
        'year',
        '2024-02-29',
        '2025-02-28',
        1,
        {
          duckdb: "SELECT datesub('year', DATE '2024-02-29', DATE '2025-02-28') AS v",
          athena: "SELECT date_diff('year', DATE '2024-02-29', DATE '2025-02-28') AS v",
        },
      ],
      [
        'year',
        '2023-03-01',
        '2024-02-29',
        0,
        {
          duckdb: "SELECT datesub('year', DATE '2023-03-01', DATE '2024-02-29') AS v",
          athena: "SELECT date_diff('year', DATE '2023-03-01', DATE '2024-02-29') AS v",
        },
      ],
    ] as const
  ).map(
    ([unit, start, end, expected, pinned]): ExpressionCase => ({
      method: 'dateDiff',
      name: `dateDiff ${unit} from ${start} to ${end} is ${expected}`,
      build: (d) => d.dateDiff(unit, date(start)(d), date(end)(d)),
      expected,
      type: 'BIGINT',
      sql: pinned,
    }),
  ),
  ...(
    [
      [
        'day',
        '2024-01-01T23:00:00Z',
        '2024-01-02T22:59:59Z',
        0,
        {
          duckdb:
            "SELECT datesub('day', TIMESTAMP '2024-01-01 23:00:00.000', TIMESTAMP '2024-01-02 22:59:59.000') AS v",
          athena:
            "SELECT date_diff('day', TIMESTAMP '2024-01-01 23:00:00.000', TIMESTAMP '2024-01-02 22:59:59.000') AS v",
        },
      ],
      [
        'day',
        '2024-01-01T23:00:00Z',
        '2024-01-02T23:00:00Z',
        1,
        {
          duckdb:
            "SELECT datesub('day', TIMESTAMP '2024-01-01 23:00:00.000', TIMESTAMP '2024-01-02 23:00:00.000') AS v",
          athena:
            "SELECT date_diff('day', TIMESTAMP '2024-01-01 23:00:00.000', TIMESTAMP '2024-01-02 23:00:00.000') AS v",
        },
      ],
      [
        'month',
        '2024-01-31T10:00:00Z',
        '2024-02-29T09:00:00Z',
        0,
        {
          duckdb:
            "SELECT datesub('month', TIMESTAMP '2024-01-31 10:00:00.000', TIMESTAMP '2024-02-29 09:00:00.000') AS v",
          athena:
            "SELECT date_diff('month', TIMESTAMP '2024-01-31 10:00:00.000', TIMESTAMP '2024-02-29 09:00:00.000') AS v",
        },
      ],
      [
        'month',
        '2024-02-29T09:00:00Z',
        '2024-01-31T10:00:00Z',
        0,
        {
          duckdb:
            "SELECT datesub('month', TIMESTAMP '2024-02-29 09:00:00.000', TIMESTAMP '2024-01-31 10:00:00.000') AS v",
          athena:
            "SELECT date_diff('month', TIMESTAMP '2024-02-29 09:00:00.000', TIMESTAMP '2024-01-31 10:00:00.000') AS v",
        },
      ],
    ] as const
  ).map(
    ([unit, start, end, expected, pinned]): ExpressionCase => ({
      method: 'dateDiff',
      name: `dateDiff ${unit} from ${start} to ${end} is ${expected} (the time of day counts)`,
      build: (d) => d.dateDiff(unit, ts(start)(d), ts(end)(d)),
      expected,
      sql: pinned,
    }),
  ),

  // lastDayOfMonth: leap years, including the century rules.
  ...(
    [
      [
        '2024-02-10',
        '2024-02-29',
        {
          duckdb: "SELECT last_day(DATE '2024-02-10') AS v",
          athena: "SELECT last_day_of_month(DATE '2024-02-10') AS v",
        },
      ],
      [
        '2023-02-10',
        '2023-02-28',
        {
          duckdb: "SELECT last_day(DATE '2023-02-10') AS v",
          athena: "SELECT last_day_of_month(DATE '2023-02-10') AS v",
        },
      ],
      [
        '1900-02-01',
        '1900-02-28',
        {
          duckdb: "SELECT last_day(DATE '1900-02-01') AS v",
          athena: "SELECT last_day_of_month(DATE '1900-02-01') AS v",
        },
      ],
      [
        '2000-02-01',
        '2000-02-29',
        {
          duckdb: "SELECT last_day(DATE '2000-02-01') AS v",
          athena: "SELECT last_day_of_month(DATE '2000-02-01') AS v",
        },
      ],
      [
        '2024-12-31',
        '2024-12-31',
        {
          duckdb: "SELECT last_day(DATE '2024-12-31') AS v",
          athena: "SELECT last_day_of_month(DATE '2024-12-31') AS v",
        },
      ],
    ] as const
  ).map(
    ([input, expected, pinned]): ExpressionCase => ({
      method: 'lastDayOfMonth',
      name: `lastDayOfMonth of ${input} is ${expected}`,
      build: (d) => d.lastDayOfMonth(date(input)(d)),
      expected,
      type: 'DATE',
      sql: pinned,
    }),
  ),
  {
    method: 'lastDayOfMonth',
    name: 'lastDayOfMonth of a TIMESTAMP is a DATE',
    build: (d) => d.lastDayOfMonth(ts('2024-04-15T10:00:00Z')(d)),
    expected: '2024-04-30',
    type: 'DATE',
    sql: {
      duckdb: "SELECT last_day(TIMESTAMP '2024-04-15 10:00:00.000') AS v",
      athena: "SELECT last_day_of_month(TIMESTAMP '2024-04-15 10:00:00.000') AS v",
    },
  },

  {
    method: 'toDate',
    name: 'toDate keeps the UTC day of a TIMESTAMP',
    build: (d) => d.toDate(ts('2024-02-10T23:59:59.999Z')(d)),
    expected: '2024-02-10',
    type: 'DATE',
    sql: {
      duckdb: "SELECT CAST(TIMESTAMP '2024-02-10 23:59:59.999' AS DATE) AS v",
      athena: "SELECT CAST(TIMESTAMP '2024-02-10 23:59:59.999' AS DATE) AS v",
    },
  },

  ...(
    [
      [
        '1706745600',
        '2024-02-01T00:00:00.000Z',
        {
          duckdb:
            'SELECT make_timestamp(CAST(round(CAST(1706745600 AS DOUBLE) * 1000) AS BIGINT) * 1000) AS v',
          athena: "SELECT CAST(from_unixtime(1706745600) AT TIME ZONE 'UTC' AS TIMESTAMP) AS v",
        },
      ],
      [
        '0',
        '1970-01-01T00:00:00.000Z',
        {
          duckdb: 'SELECT make_timestamp(CAST(round(CAST(0 AS DOUBLE) * 1000) AS BIGINT) * 1000) AS v',
          athena: "SELECT CAST(from_unixtime(0) AT TIME ZONE 'UTC' AS TIMESTAMP) AS v",
        },
      ],
      [
        '-1',
        '1969-12-31T23:59:59.000Z',
        {
          duckdb: 'SELECT make_timestamp(CAST(round(CAST(-1 AS DOUBLE) * 1000) AS BIGINT) * 1000) AS v',
          athena: "SELECT CAST(from_unixtime(-1) AT TIME ZONE 'UTC' AS TIMESTAMP) AS v",
        },
      ],
      [
        '1706745600.5',
        '2024-02-01T00:00:00.500Z',
        {
          duckdb:
            'SELECT make_timestamp(CAST(round(CAST(1706745600.5 AS DOUBLE) * 1000) AS BIGINT) * 1000) AS v',
          athena: "SELECT CAST(from_unixtime(1706745600.5) AT TIME ZONE 'UTC' AS TIMESTAMP) AS v",
        },
      ],
    ] as const
  ).map(
    ([seconds, expected, pinned]): ExpressionCase => ({
      method: 'fromUnixSeconds',
      name: `fromUnixSeconds ${seconds} is ${expected}`,
      build: (d) => d.fromUnixSeconds(sql.raw(seconds)),
      expected,
      type: 'TIMESTAMP',
      sql: pinned,
    }),
  ),

  // parseTimestamp: one set of accepted shapes on both engines, anything else NULL.
  ...(
    [
      [
        '2024-01-31T10:00:00Z',
        '2024-01-31T10:00:00.000Z',
        {
          duckdb:
            "SELECT CASE WHEN regexp_full_match('2024-01-31T10:00:00Z', '\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?') THEN date_trunc('millisecond', CAST(TRY_CAST('2024-01-31T10:00:00Z' AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
          athena:
            "SELECT CASE WHEN regexp_like('2024-01-31T10:00:00Z', '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?$') THEN try(CAST(from_iso8601_timestamp(replace('2024-01-31T10:00:00Z', ' ', 'T')) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
        },
      ],
      [
        '2024-01-31T10:00:00+01:00',
        '2024-01-31T09:00:00.000Z',
        {
          duckdb:
            "SELECT CASE WHEN regexp_full_match('2024-01-31T10:00:00+01:00', '\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?') THEN date_trunc('millisecond', CAST(TRY_CAST('2024-01-31T10:00:00+01:00' AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
          athena:
            "SELECT CASE WHEN regexp_like('2024-01-31T10:00:00+01:00', '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?$') THEN try(CAST(from_iso8601_timestamp(replace('2024-01-31T10:00:00+01:00', ' ', 'T')) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
        },
      ],
      [
        '2024-01-31T10:00:00.000+0000',
        '2024-01-31T10:00:00.000Z',
        {
          duckdb:
            "SELECT CASE WHEN regexp_full_match('2024-01-31T10:00:00.000+0000', '\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?') THEN date_trunc('millisecond', CAST(TRY_CAST('2024-01-31T10:00:00.000+0000' AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
          athena:
            "SELECT CASE WHEN regexp_like('2024-01-31T10:00:00.000+0000', '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?$') THEN try(CAST(from_iso8601_timestamp(replace('2024-01-31T10:00:00.000+0000', ' ', 'T')) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
        },
      ],
      [
        '2024-01-31T10:00:00-0500',
        '2024-01-31T15:00:00.000Z',
        {
          duckdb:
            "SELECT CASE WHEN regexp_full_match('2024-01-31T10:00:00-0500', '\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?') THEN date_trunc('millisecond', CAST(TRY_CAST('2024-01-31T10:00:00-0500' AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
          athena:
            "SELECT CASE WHEN regexp_like('2024-01-31T10:00:00-0500', '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?$') THEN try(CAST(from_iso8601_timestamp(replace('2024-01-31T10:00:00-0500', ' ', 'T')) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
        },
      ],
      [
        '2024-01-31T10:00:00.123456Z',
        '2024-01-31T10:00:00.123Z',
        {
          duckdb:
            "SELECT CASE WHEN regexp_full_match('2024-01-31T10:00:00.123456Z', '\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?') THEN date_trunc('millisecond', CAST(TRY_CAST('2024-01-31T10:00:00.123456Z' AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
          athena:
            "SELECT CASE WHEN regexp_like('2024-01-31T10:00:00.123456Z', '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?$') THEN try(CAST(from_iso8601_timestamp(replace('2024-01-31T10:00:00.123456Z', ' ', 'T')) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
        },
      ],
      [
        '2024-01-31T10:00:00',
        '2024-01-31T10:00:00.000Z',
        {
          duckdb:
            "SELECT CASE WHEN regexp_full_match('2024-01-31T10:00:00', '\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?') THEN date_trunc('millisecond', CAST(TRY_CAST('2024-01-31T10:00:00' AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
          athena:
            "SELECT CASE WHEN regexp_like('2024-01-31T10:00:00', '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?$') THEN try(CAST(from_iso8601_timestamp(replace('2024-01-31T10:00:00', ' ', 'T')) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
        },
      ],
      [
        '2024-01-31 10:00:00',
        '2024-01-31T10:00:00.000Z',
        {
          duckdb:
            "SELECT CASE WHEN regexp_full_match('2024-01-31 10:00:00', '\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?') THEN date_trunc('millisecond', CAST(TRY_CAST('2024-01-31 10:00:00' AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
          athena:
            "SELECT CASE WHEN regexp_like('2024-01-31 10:00:00', '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?$') THEN try(CAST(from_iso8601_timestamp(replace('2024-01-31 10:00:00', ' ', 'T')) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
        },
      ],
      [
        '2024-01-31',
        '2024-01-31T00:00:00.000Z',
        {
          duckdb:
            "SELECT CASE WHEN regexp_full_match('2024-01-31', '\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?') THEN date_trunc('millisecond', CAST(TRY_CAST('2024-01-31' AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
          athena:
            "SELECT CASE WHEN regexp_like('2024-01-31', '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?$') THEN try(CAST(from_iso8601_timestamp(replace('2024-01-31', ' ', 'T')) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
        },
      ],
      [
        'garbage',
        null,
        {
          duckdb:
            "SELECT CASE WHEN regexp_full_match('garbage', '\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?') THEN date_trunc('millisecond', CAST(TRY_CAST('garbage' AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
          athena:
            "SELECT CASE WHEN regexp_like('garbage', '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?$') THEN try(CAST(from_iso8601_timestamp(replace('garbage', ' ', 'T')) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
        },
      ],
      [
        '',
        null,
        {
          duckdb:
            "SELECT CASE WHEN regexp_full_match('', '\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?') THEN date_trunc('millisecond', CAST(TRY_CAST('' AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
          athena:
            "SELECT CASE WHEN regexp_like('', '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?$') THEN try(CAST(from_iso8601_timestamp(replace('', ' ', 'T')) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
        },
      ],
      [
        '2024-02-30T00:00:00Z',
        null,
        {
          duckdb:
            "SELECT CASE WHEN regexp_full_match('2024-02-30T00:00:00Z', '\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?') THEN date_trunc('millisecond', CAST(TRY_CAST('2024-02-30T00:00:00Z' AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
          athena:
            "SELECT CASE WHEN regexp_like('2024-02-30T00:00:00Z', '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?$') THEN try(CAST(from_iso8601_timestamp(replace('2024-02-30T00:00:00Z', ' ', 'T')) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
        },
      ],
      [
        '2024-01-31T10:00Z',
        null,
        {
          duckdb:
            "SELECT CASE WHEN regexp_full_match('2024-01-31T10:00Z', '\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?') THEN date_trunc('millisecond', CAST(TRY_CAST('2024-01-31T10:00Z' AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
          athena:
            "SELECT CASE WHEN regexp_like('2024-01-31T10:00Z', '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?$') THEN try(CAST(from_iso8601_timestamp(replace('2024-01-31T10:00Z', ' ', 'T')) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
        },
      ],
      [
        '2024-01-31T10:00:00+01',
        null,
        {
          duckdb:
            "SELECT CASE WHEN regexp_full_match('2024-01-31T10:00:00+01', '\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?') THEN date_trunc('millisecond', CAST(TRY_CAST('2024-01-31T10:00:00+01' AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
          athena:
            "SELECT CASE WHEN regexp_like('2024-01-31T10:00:00+01', '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?$') THEN try(CAST(from_iso8601_timestamp(replace('2024-01-31T10:00:00+01', ' ', 'T')) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
        },
      ],
      [
        '2024-01-31 10:00:00 America/New_York',
        null,
        {
          duckdb:
            "SELECT CASE WHEN regexp_full_match('2024-01-31 10:00:00 America/New_York', '\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?') THEN date_trunc('millisecond', CAST(TRY_CAST('2024-01-31 10:00:00 America/New_York' AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
          athena:
            "SELECT CASE WHEN regexp_like('2024-01-31 10:00:00 America/New_York', '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?$') THEN try(CAST(from_iso8601_timestamp(replace('2024-01-31 10:00:00 America/New_York', ' ', 'T')) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
        },
      ],
      [
        '31/01/2024',
        null,
        {
          duckdb:
            "SELECT CASE WHEN regexp_full_match('31/01/2024', '\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?') THEN date_trunc('millisecond', CAST(TRY_CAST('31/01/2024' AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
          athena:
            "SELECT CASE WHEN regexp_like('31/01/2024', '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?$') THEN try(CAST(from_iso8601_timestamp(replace('31/01/2024', ' ', 'T')) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
        },
      ],
    ] as const
  ).map(
    ([input, expected, pinned]): ExpressionCase => ({
      method: 'parseTimestamp',
      name: `parseTimestamp ${JSON.stringify(input)} is ${expected}`,
      build: (d) => d.parseTimestamp(text(input)(d)),
      expected,
      type: 'TIMESTAMP',
      sql: pinned,
    }),
  ),
  {
    method: 'parseTimestamp',
    name: 'parseTimestamp NULL is NULL',
    build: (d) => d.parseTimestamp(nullText(d)),
    expected: null,
    sql: {
      duckdb:
        "SELECT CASE WHEN regexp_full_match(CAST(NULL AS VARCHAR), '\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?') THEN date_trunc('millisecond', CAST(TRY_CAST(CAST(NULL AS VARCHAR) AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
      athena:
        "SELECT CASE WHEN regexp_like(CAST(NULL AS VARCHAR), '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?)?$') THEN try(CAST(from_iso8601_timestamp(replace(CAST(NULL AS VARCHAR), ' ', 'T')) AT TIME ZONE 'UTC' AS TIMESTAMP)) END AS v",
    },
  },

  // intDiv: Trino's integer `/` truncates toward zero; DuckDB's `/` would give 3.5.
  ...(
    [
      [
        7,
        2,
        3,
        {
          duckdb: 'SELECT (CAST(7 AS BIGINT) // NULLIF(CAST(2 AS BIGINT), 0)) AS v',
          athena: 'SELECT (CAST(7 AS BIGINT) / NULLIF(CAST(2 AS BIGINT), 0)) AS v',
        },
      ],
      [
        -7,
        2,
        -3,
        {
          duckdb: 'SELECT (CAST(-7 AS BIGINT) // NULLIF(CAST(2 AS BIGINT), 0)) AS v',
          athena: 'SELECT (CAST(-7 AS BIGINT) / NULLIF(CAST(2 AS BIGINT), 0)) AS v',
        },
      ],
      [
        7,
        -2,
        -3,
        {
          duckdb: 'SELECT (CAST(7 AS BIGINT) // NULLIF(CAST(-2 AS BIGINT), 0)) AS v',
          athena: 'SELECT (CAST(7 AS BIGINT) / NULLIF(CAST(-2 AS BIGINT), 0)) AS v',
        },
      ],
      [
        -7,
        -2,
        3,
        {
          duckdb: 'SELECT (CAST(-7 AS BIGINT) // NULLIF(CAST(-2 AS BIGINT), 0)) AS v',
          athena: 'SELECT (CAST(-7 AS BIGINT) / NULLIF(CAST(-2 AS BIGINT), 0)) AS v',
        },
      ],
      [
        6,
        3,
        2,
        {
          duckdb: 'SELECT (CAST(6 AS BIGINT) // NULLIF(CAST(3 AS BIGINT), 0)) AS v',
          athena: 'SELECT (CAST(6 AS BIGINT) / NULLIF(CAST(3 AS BIGINT), 0)) AS v',
        },
      ],
      [
        0,
        5,
        0,
        {
          duckdb: 'SELECT (CAST(0 AS BIGINT) // NULLIF(CAST(5 AS BIGINT), 0)) AS v',
          athena: 'SELECT (CAST(0 AS BIGINT) / NULLIF(CAST(5 AS BIGINT), 0)) AS v',
        },
      ],
      [
        7,
        0,
        null,
        {
          duckdb: 'SELECT (CAST(7 AS BIGINT) // NULLIF(CAST(0 AS BIGINT), 0)) AS v',
          athena: 'SELECT (CAST(7 AS BIGINT) / NULLIF(CAST(0 AS BIGINT), 0)) AS v',
        },
      ],
    ] as const
  ).map(
    ([a, b, expected, pinned]): ExpressionCase => ({
      method: 'intDiv',
      name: `intDiv ${a} / ${b} is ${expected}`,
      build: (d) => d.intDiv(sql.lit(a), sql.lit(b)),
      expected,
      type: 'BIGINT',
      sql: pinned,
    }),
  ),

  ...(
    [
      [
        '7',
        '2',
        3.5,
        {
          duckdb: 'SELECT (CAST(7 AS DOUBLE) / NULLIF(CAST(2 AS DOUBLE), 0)) AS v',
          athena: 'SELECT (CAST(7 AS DOUBLE) / NULLIF(CAST(2 AS DOUBLE), 0)) AS v',
        },
      ],
      [
        '1',
        '3',
        1 / 3,
        {
          duckdb: 'SELECT (CAST(1 AS DOUBLE) / NULLIF(CAST(3 AS DOUBLE), 0)) AS v',
          athena: 'SELECT (CAST(1 AS DOUBLE) / NULLIF(CAST(3 AS DOUBLE), 0)) AS v',
        },
      ],
      [
        '1',
        '0',
        null,
        {
          duckdb: 'SELECT (CAST(1 AS DOUBLE) / NULLIF(CAST(0 AS DOUBLE), 0)) AS v',
          athena: 'SELECT (CAST(1 AS DOUBLE) / NULLIF(CAST(0 AS DOUBLE), 0)) AS v',
        },
      ],
      [
        'NULL',
        '2',
        null,
        {
          duckdb: 'SELECT (CAST(NULL AS DOUBLE) / NULLIF(CAST(2 AS DOUBLE), 0)) AS v',
          athena: 'SELECT (CAST(NULL AS DOUBLE) / NULLIF(CAST(2 AS DOUBLE), 0)) AS v',
        },
      ],
      [
        '1.5',
        'NULL',
        null,
        {
          duckdb: 'SELECT (CAST(1.5 AS DOUBLE) / NULLIF(CAST(NULL AS DOUBLE), 0)) AS v',
          athena: 'SELECT (CAST(1.5 AS DOUBLE) / NULLIF(CAST(NULL AS DOUBLE), 0)) AS v',
        },
      ],
    ] as const
  ).map(
    ([a, b, expected, pinned]): ExpressionCase => ({
      method: 'safeDiv',
      name: `safeDiv ${a} / ${b} is ${expected}`,
      build: (d) => d.safeDiv(sql.raw(a), sql.raw(b)),
      expected,
      type: 'DOUBLE',
      sql: pinned,
    }),
  ),

  // jsonString: scalars as text; JSON null, missing keys, objects, arrays and bad JSON are NULL.
  ...(
    [
      [
        'a.b',
        'x',
        {
          duckdb:
            'SELECT try(json_extract_string(json_value(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$."a"."b"\'), \'$\')) AS v',
          athena:
            'SELECT json_extract_scalar(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$["a"]["b"]\') AS v',
        },
      ],
      [
        'a.n',
        '1',
        {
          duckdb:
            'SELECT try(json_extract_string(json_value(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$."a"."n"\'), \'$\')) AS v',
          athena:
            'SELECT json_extract_scalar(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$["a"]["n"]\') AS v',
        },
      ],
      [
        'a.f',
        '1.5',
        {
          duckdb:
            'SELECT try(json_extract_string(json_value(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$."a"."f"\'), \'$\')) AS v',
          athena:
            'SELECT json_extract_scalar(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$["a"]["f"]\') AS v',
        },
      ],
      [
        'a.t',
        'true',
        {
          duckdb:
            'SELECT try(json_extract_string(json_value(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$."a"."t"\'), \'$\')) AS v',
          athena:
            'SELECT json_extract_scalar(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$["a"]["t"]\') AS v',
        },
      ],
      [
        'a.z',
        null,
        {
          duckdb:
            'SELECT try(json_extract_string(json_value(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$."a"."z"\'), \'$\')) AS v',
          athena:
            'SELECT json_extract_scalar(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$["a"]["z"]\') AS v',
        },
      ],
      [
        'a.missing',
        null,
        {
          duckdb:
            'SELECT try(json_extract_string(json_value(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$."a"."missing"\'), \'$\')) AS v',
          athena:
            'SELECT json_extract_scalar(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$["a"]["missing"]\') AS v',
        },
      ],
      [
        'a.arr.1.id',
        'i1',
        {
          duckdb:
            'SELECT try(json_extract_string(json_value(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$."a"."arr"[1]."id"\'), \'$\')) AS v',
          athena:
            'SELECT json_extract_scalar(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$["a"]["arr"][1]["id"]\') AS v',
        },
      ],
      [
        'a.obj',
        null,
        {
          duckdb:
            'SELECT try(json_extract_string(json_value(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$."a"."obj"\'), \'$\')) AS v',
          athena:
            'SELECT json_extract_scalar(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$["a"]["obj"]\') AS v',
        },
      ],
      [
        'a.arr',
        null,
        {
          duckdb:
            'SELECT try(json_extract_string(json_value(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$."a"."arr"\'), \'$\')) AS v',
          athena:
            'SELECT json_extract_scalar(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$["a"]["arr"]\') AS v',
        },
      ],
      [
        's',
        'he said "hi" – ünï',
        {
          duckdb:
            'SELECT try(json_extract_string(json_value(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$."s"\'), \'$\')) AS v',
          athena:
            'SELECT json_extract_scalar(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$["s"]\') AS v',
        },
      ],
    ] as const
  ).map(
    ([path, expected, pinned]): ExpressionCase => ({
      method: 'jsonString',
      name: `jsonString ${path} is ${JSON.stringify(expected)}`,
      build: jsonString(path),
      expected,
      type: 'VARCHAR',
      sql: pinned,
    }),
  ),
  {
    method: 'jsonString',
    name: 'jsonString takes array paths with indexes',
    build: jsonString(['a', 'arr', 0, 'id']),
    expected: 'i0',
    sql: {
      duckdb:
        'SELECT try(json_extract_string(json_value(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$."a"."arr"[0]."id"\'), \'$\')) AS v',
      athena:
        'SELECT json_extract_scalar(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$["a"]["arr"][0]["id"]\') AS v',
    },
  },
  {
    method: 'jsonString',
    name: 'jsonString reads a key holding a dot through the array path form',
    build: jsonString(['a', 'seg.date']),
    expected: '2024-01-31',
    sql: {
      duckdb:
        'SELECT try(json_extract_string(json_value(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$."a"."seg.date"\'), \'$\')) AS v',
      athena:
        'SELECT json_extract_scalar(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$["a"]["seg.date"]\') AS v',
    },
  },
  {
    method: 'jsonString',
    name: 'jsonString of text that is not JSON is NULL',
    build: jsonString('a', '{"a":'),
    expected: null,
    sql: {
      duckdb: "SELECT try(json_extract_string(json_value('{\"a\":', '$.\"a\"'), '$')) AS v",
      athena: 'SELECT json_extract_scalar(\'{"a":\', \'$["a"]\') AS v',
    },
  },
  {
    method: 'jsonString',
    name: 'jsonString of NULL is NULL',
    build: (d) => d.jsonString(nullText(d), 'a'),
    expected: null,
    sql: {
      duckdb: "SELECT try(json_extract_string(json_value(CAST(NULL AS VARCHAR), '$.\"a\"'), '$')) AS v",
      athena: 'SELECT json_extract_scalar(CAST(NULL AS VARCHAR), \'$["a"]\') AS v',
    },
  },

  ...(
    [
      [
        'a.obj',
        '{"k":1}',
        {
          duckdb:
            'SELECT try(NULLIF(CAST(json_extract(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$."a"."obj"\') AS VARCHAR), \'null\')) AS v',
          athena:
            'SELECT NULLIF(json_format(json_extract(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$["a"]["obj"]\')), \'null\') AS v',
        },
      ],
      [
        'a.arr',
        '[{"id":"i0"},{"id":"i1"}]',
        {
          duckdb:
            'SELECT try(NULLIF(CAST(json_extract(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$."a"."arr"\') AS VARCHAR), \'null\')) AS v',
          athena:
            'SELECT NULLIF(json_format(json_extract(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$["a"]["arr"]\')), \'null\') AS v',
        },
      ],
      [
        'a.b',
        '"x"',
        {
          duckdb:
            'SELECT try(NULLIF(CAST(json_extract(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$."a"."b"\') AS VARCHAR), \'null\')) AS v',
          athena:
            'SELECT NULLIF(json_format(json_extract(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$["a"]["b"]\')), \'null\') AS v',
        },
      ],
      [
        'a.n',
        '1',
        {
          duckdb:
            'SELECT try(NULLIF(CAST(json_extract(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$."a"."n"\') AS VARCHAR), \'null\')) AS v',
          athena:
            'SELECT NULLIF(json_format(json_extract(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$["a"]["n"]\')), \'null\') AS v',
        },
      ],
      [
        'a.z',
        null,
        {
          duckdb:
            'SELECT try(NULLIF(CAST(json_extract(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$."a"."z"\') AS VARCHAR), \'null\')) AS v',
          athena:
            'SELECT NULLIF(json_format(json_extract(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$["a"]["z"]\')), \'null\') AS v',
        },
      ],
      [
        'a.missing',
        null,
        {
          duckdb:
            'SELECT try(NULLIF(CAST(json_extract(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$."a"."missing"\') AS VARCHAR), \'null\')) AS v',
          athena:
            'SELECT NULLIF(json_format(json_extract(\'{"a":{"b":"x","n":1,"f":1.5,"t":true,"z":null,"arr":[{"id":"i0"},{"id":"i1"}],"seg.date":"2024-01-31","obj":{"k":1}},"s":"he said \\"hi\\" – ünï"}\', \'$["a"]["missing"]\')), \'null\') AS v',
        },
      ],
    ] as const
  ).map(
    ([path, expected, pinned]): ExpressionCase => ({
      method: 'jsonText',
      name: `jsonText ${path} is ${JSON.stringify(expected)}`,
      build: jsonText(path),
      expected,
      type: 'VARCHAR',
      sql: pinned,
    }),
  ),
  {
    method: 'jsonText',
    name: 'jsonText of text that is not JSON is NULL',
    build: jsonText('a', 'not json'),
    expected: null,
    sql: {
      duckdb: "SELECT try(NULLIF(CAST(json_extract('not json', '$.\"a\"') AS VARCHAR), 'null')) AS v",
      athena: "SELECT NULLIF(json_format(json_extract('not json', '$[\"a\"]')), 'null') AS v",
    },
  },

  // jsonStringAt: the member named by a run-time key; a missing member, an object, a key that
  // would break the path (a quote) and a NULL key are NULL.
  ...(
    [
      [
        'b',
        'x',
        {
          duckdb:
            "SELECT CASE WHEN strpos('b', '\"') = 0 AND strpos('b', '\\') = 0 THEN try(json_extract_string(json_value('{\"a\":{\"b\":\"x\",\"seg.date\":\"2024-01-31\",\"obj\":{\"k\":1}}}', '$.\"a\".\"' || replace(replace('b', '\"', ''), '\\', '') || '\"'), '$')) END AS v",
          athena:
            "SELECT CASE WHEN strpos('b', '\"') = 0 AND strpos('b', '\\') = 0 THEN json_extract_scalar('{\"a\":{\"b\":\"x\",\"seg.date\":\"2024-01-31\",\"obj\":{\"k\":1}}}', '$[\"a\"][\"' || replace(replace('b', '\"', ''), '\\', '') || '\"]') END AS v",
        },
      ],
      [
        'seg.date',
        '2024-01-31',
        {
          duckdb:
            "SELECT CASE WHEN strpos('seg.date', '\"') = 0 AND strpos('seg.date', '\\') = 0 THEN try(json_extract_string(json_value('{\"a\":{\"b\":\"x\",\"seg.date\":\"2024-01-31\",\"obj\":{\"k\":1}}}', '$.\"a\".\"' || replace(replace('seg.date', '\"', ''), '\\', '') || '\"'), '$')) END AS v",
          athena:
            "SELECT CASE WHEN strpos('seg.date', '\"') = 0 AND strpos('seg.date', '\\') = 0 THEN json_extract_scalar('{\"a\":{\"b\":\"x\",\"seg.date\":\"2024-01-31\",\"obj\":{\"k\":1}}}', '$[\"a\"][\"' || replace(replace('seg.date', '\"', ''), '\\', '') || '\"]') END AS v",
        },
      ],
      [
        'missing',
        null,
        {
          duckdb:
            "SELECT CASE WHEN strpos('missing', '\"') = 0 AND strpos('missing', '\\') = 0 THEN try(json_extract_string(json_value('{\"a\":{\"b\":\"x\",\"seg.date\":\"2024-01-31\",\"obj\":{\"k\":1}}}', '$.\"a\".\"' || replace(replace('missing', '\"', ''), '\\', '') || '\"'), '$')) END AS v",
          athena:
            "SELECT CASE WHEN strpos('missing', '\"') = 0 AND strpos('missing', '\\') = 0 THEN json_extract_scalar('{\"a\":{\"b\":\"x\",\"seg.date\":\"2024-01-31\",\"obj\":{\"k\":1}}}', '$[\"a\"][\"' || replace(replace('missing', '\"', ''), '\\', '') || '\"]') END AS v",
        },
      ],
      [
        'obj',
        null,
        {
          duckdb:
            "SELECT CASE WHEN strpos('obj', '\"') = 0 AND strpos('obj', '\\') = 0 THEN try(json_extract_string(json_value('{\"a\":{\"b\":\"x\",\"seg.date\":\"2024-01-31\",\"obj\":{\"k\":1}}}', '$.\"a\".\"' || replace(replace('obj', '\"', ''), '\\', '') || '\"'), '$')) END AS v",
          athena:
            "SELECT CASE WHEN strpos('obj', '\"') = 0 AND strpos('obj', '\\') = 0 THEN json_extract_scalar('{\"a\":{\"b\":\"x\",\"seg.date\":\"2024-01-31\",\"obj\":{\"k\":1}}}', '$[\"a\"][\"' || replace(replace('obj', '\"', ''), '\\', '') || '\"]') END AS v",
        },
      ],
      [
        'x"y',
        null,
        {
          duckdb:
            "SELECT CASE WHEN strpos('x\"y', '\"') = 0 AND strpos('x\"y', '\\') = 0 THEN try(json_extract_string(json_value('{\"a\":{\"b\":\"x\",\"seg.date\":\"2024-01-31\",\"obj\":{\"k\":1}}}', '$.\"a\".\"' || replace(replace('x\"y', '\"', ''), '\\', '') || '\"'), '$')) END AS v",
          athena:
            "SELECT CASE WHEN strpos('x\"y', '\"') = 0 AND strpos('x\"y', '\\') = 0 THEN json_extract_scalar('{\"a\":{\"b\":\"x\",\"seg.date\":\"2024-01-31\",\"obj\":{\"k\":1}}}', '$[\"a\"][\"' || replace(replace('x\"y', '\"', ''), '\\', '') || '\"]') END AS v",
        },
      ],
      [
        null,
        null,
        {
          duckdb:
            'SELECT CASE WHEN strpos(CAST(NULL AS VARCHAR), \'"\') = 0 AND strpos(CAST(NULL AS VARCHAR), \'\\\') = 0 THEN try(json_extract_string(json_value(\'{"a":{"b":"x","seg.date":"2024-01-31","obj":{"k":1}}}\', \'$."a"."\' || replace(replace(CAST(NULL AS VARCHAR), \'"\', \'\'), \'\\\', \'\') || \'"\'), \'$\')) END AS v',
          athena:
            'SELECT CASE WHEN strpos(CAST(NULL AS VARCHAR), \'"\') = 0 AND strpos(CAST(NULL AS VARCHAR), \'\\\') = 0 THEN json_extract_scalar(\'{"a":{"b":"x","seg.date":"2024-01-31","obj":{"k":1}}}\', \'$["a"]["\' || replace(replace(CAST(NULL AS VARCHAR), \'"\', \'\'), \'\\\', \'\') || \'"]\') END AS v',
        },
      ],
    ] as const
  ).map(
    ([key, expected, pinned]): ExpressionCase => ({
      method: 'jsonStringAt',
      name: `jsonStringAt a[${JSON.stringify(key)}] is ${JSON.stringify(expected)}`,
      build: (d) => d.jsonStringAt(text(MEMBER_DOC)(d), 'a', key === null ? nullText(d) : text(key)(d)),
      expected,
      sql: pinned,
    }),
  ),

  // concat: NULL in gives NULL out (DuckDB's concat() would skip it).
  {
    method: 'concat',
    name: 'concat joins text',
    build: (d) => d.concat(text('a')(d), text('b')(d), text('c')(d)),
    expected: 'abc',
    sql: { duckdb: "SELECT ('a' || 'b' || 'c') AS v", athena: "SELECT ('a' || 'b' || 'c') AS v" },
  },
  {
    method: 'concat',
    name: 'concat with a NULL part is NULL',
    build: (d) => d.concat(text('a')(d), nullText(d)),
    expected: null,
    sql: {
      duckdb: "SELECT ('a' || CAST(NULL AS VARCHAR)) AS v",
      athena: "SELECT ('a' || CAST(NULL AS VARCHAR)) AS v",
    },
  },

  // regexpReplaceAll: every match (DuckDB's regexp_replace would replace the first only).
  {
    method: 'regexpReplaceAll',
    name: 'regexpReplaceAll replaces every match',
    build: (d) => d.regexpReplaceAll(text('a-b-c')(d), '-', '_'),
    expected: 'a_b_c',
    sql: {
      duckdb: "SELECT regexp_replace('a-b-c', '-', '_', 'g') AS v",
      athena: "SELECT regexp_replace('a-b-c', '-', '_') AS v",
    },
  },
  {
    method: 'regexpReplaceAll',
    name: 'regexpReplaceAll removes with a character class',
    build: (d) => d.regexpReplaceAll(text('+1 (555) 010-9999')(d), '[^0-9]', ''),
    expected: '15550109999',
    sql: {
      duckdb: "SELECT regexp_replace('+1 (555) 010-9999', '[^0-9]', '', 'g') AS v",
      athena: "SELECT regexp_replace('+1 (555) 010-9999', '[^0-9]', '') AS v",
    },
  },
  {
    method: 'regexpReplaceAll',
    name: 'regexpReplaceAll of NULL is NULL',
    build: (d) => d.regexpReplaceAll(nullText(d), 'a', 'b'),
    expected: null,
    sql: {
      duckdb: "SELECT regexp_replace(CAST(NULL AS VARCHAR), 'a', 'b', 'g') AS v",
      athena: "SELECT regexp_replace(CAST(NULL AS VARCHAR), 'a', 'b') AS v",
    },
  },

  // cast / tryCast on input both engines convert alike.
  ...(
    [
      [
        '12',
        'integer',
        12,
        'INTEGER',
        { duckdb: "SELECT CAST('12' AS INTEGER) AS v", athena: "SELECT CAST('12' AS INTEGER) AS v" },
      ],
      [
        '12',
        'bigint',
        12,
        'BIGINT',
        { duckdb: "SELECT CAST('12' AS BIGINT) AS v", athena: "SELECT CAST('12' AS BIGINT) AS v" },
      ],
      [
        '12.5',
        'double',
        12.5,
        'DOUBLE',
        { duckdb: "SELECT CAST('12.5' AS DOUBLE) AS v", athena: "SELECT CAST('12.5' AS DOUBLE) AS v" },
      ],
      [
        '2024-01-31',
        'date',
        '2024-01-31',
        'DATE',
        {
          duckdb: "SELECT CAST('2024-01-31' AS DATE) AS v",
          athena: "SELECT CAST('2024-01-31' AS DATE) AS v",
        },
      ],
      [
        '2024-01-31 10:00:00',
        'timestamp',
        '2024-01-31T10:00:00.000Z',
        'TIMESTAMP',
        {
          duckdb: "SELECT CAST('2024-01-31 10:00:00' AS TIMESTAMP) AS v",
          athena: "SELECT CAST('2024-01-31 10:00:00' AS TIMESTAMP) AS v",
        },
      ],
      [
        'true',
        'boolean',
        true,
        'BOOLEAN',
        { duckdb: "SELECT CAST('true' AS BOOLEAN) AS v", athena: "SELECT CAST('true' AS BOOLEAN) AS v" },
      ],
    ] as const
  ).map(
    ([input, to, expected, type, pinned]): ExpressionCase => ({
      method: 'cast',
      name: `cast ${JSON.stringify(input)} to ${to}`,
      build: (d) => d.cast(text(input)(d), to),
      expected,
      type,
      sql: pinned,
    }),
  ),
  {
    method: 'cast',
    name: 'cast an integer to varchar',
    build: (d) => d.cast(sql.lit(42), 'varchar'),
    expected: '42',
    sql: { duckdb: 'SELECT CAST(42 AS VARCHAR) AS v', athena: 'SELECT CAST(42 AS VARCHAR) AS v' },
  },
  ...(
    [
      [
        'x',
        'integer',
        null,
        { duckdb: "SELECT TRY_CAST('x' AS INTEGER) AS v", athena: "SELECT TRY_CAST('x' AS INTEGER) AS v" },
      ],
      [
        '2024-13-01',
        'date',
        null,
        {
          duckdb: "SELECT TRY_CAST('2024-13-01' AS DATE) AS v",
          athena: "SELECT TRY_CAST('2024-13-01' AS DATE) AS v",
        },
      ],
      [
        '12',
        'bigint',
        12,
        { duckdb: "SELECT TRY_CAST('12' AS BIGINT) AS v", athena: "SELECT TRY_CAST('12' AS BIGINT) AS v" },
      ],
    ] as const
  ).map(
    ([input, to, expected, pinned]): ExpressionCase => ({
      method: 'tryCast',
      name: `tryCast ${JSON.stringify(input)} to ${to} is ${expected}`,
      build: (d) => d.tryCast(text(input)(d), to),
      expected,
      sql: pinned,
    }),
  ),
]
