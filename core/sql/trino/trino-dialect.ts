import { type RawBuilder, sql } from 'kysely'
import { UserError } from '../../errors.js'
import type { CreateTableAsOptions, DateUnit, DialectLimits, Sql, TableRef } from '../dialect.js'
import { DialectBase, TIMESTAMP_TEXT, UNIT_STEP } from '../dialect-base.js'
import type { JsonPath } from '../json-path.js'

/** Trino's SQL, the grammar Athena engine v3 speaks. Athena specifics live in `AthenaDialect`. */
export abstract class TrinoDialect extends DialectBase {
  abstract override readonly limits: DialectLimits

  dateTrunc(unit: DateUnit, date: Sql<string>): RawBuilder<string> {
    return sql<string>`date_trunc(${sql.lit(unit)}, ${date})`
  }

  dateAdd(unit: DateUnit, amount: Sql<number> | number, date: Sql<string>): RawBuilder<string> {
    const n = typeof amount === 'number' ? sql.lit(amount) : sql`CAST(${amount} AS BIGINT)`
    return sql<string>`date_add(${sql.lit(unit)}, ${n}, ${date})`
  }

  dateDiff(unit: DateUnit, start: Sql<string>, end: Sql<string>): RawBuilder<number> {
    return sql<number>`date_diff(${sql.lit(unit)}, ${start}, ${end})`
  }

  lastDayOfMonth(date: Sql<string>): RawBuilder<string> {
    return sql<string>`last_day_of_month(${date})`
  }

  // from_unixtime returns a timestamp in the session zone; AT TIME ZONE 'UTC' makes the dropped zone UTC.
  fromUnixSeconds(seconds: Sql<number>): RawBuilder<string> {
    return sql<string>`CAST(from_unixtime(${seconds}) AT TIME ZONE 'UTC' AS TIMESTAMP)`
  }

  // from_iso8601_timestamp fails on a space separator and reads more shapes than DuckDB (week dates,
  // `T10Z`); the shape check matches DuckDB's, and try() turns impossible dates into NULL.
  parseTimestamp(text: Sql<string | null>): RawBuilder<string | null> {
    return sql<
      string | null
    >`CASE WHEN regexp_like(${text}, ${sql.lit(`^${TIMESTAMP_TEXT}$`)}) THEN try(CAST(from_iso8601_timestamp(replace(${text}, ' ', 'T')) AT TIME ZONE 'UTC' AS TIMESTAMP)) END`
  }

  dateSeries(
    unit: DateUnit,
    start: Sql<string>,
    end: Sql<string>,
    alias: string,
    column: string,
  ): RawBuilder<unknown> {
    const step = UNIT_STEP[unit]
    const interval = sql.raw(`INTERVAL '${step.size}' ${step.unit.toUpperCase()}`)
    return sql`UNNEST(sequence(${start}, ${end}, ${interval})) AS ${sql.raw(this.quoteIdentifier(alias))}(${sql.raw(this.quoteIdentifier(column))})`
  }

  // Trino's `/` on integers already truncates toward zero; the casts make that hold for any numeric
  // input, and NULLIF turns Trino's division-by-zero failure into DuckDB's NULL.
  intDiv(dividend: Sql<number>, divisor: Sql<number>): RawBuilder<number> {
    return sql<number>`(CAST(${dividend} AS BIGINT) / NULLIF(CAST(${divisor} AS BIGINT), 0))`
  }

  jsonString(json: Sql<string | null>, path: JsonPath): RawBuilder<string | null> {
    return sql<string | null>`json_extract_scalar(${json}, ${sql.lit(this.jsonPath(path))})`
  }

  // The path is built per row. Quotes and backslashes are stripped from it so that it always parses
  // (DuckDB checks a constant path while binding, even in a branch not taken); such keys give NULL.
  jsonStringAt(json: Sql<string | null>, path: JsonPath, key: Sql<string | null>): RawBuilder<string | null> {
    const member = sql<string>`${sql.lit(`${this.jsonPath(path)}["`)} || replace(replace(${key}, '"', ''), '\\', '') || '"]'`
    return sql<
      string | null
    >`CASE WHEN strpos(${key}, '"') = 0 AND strpos(${key}, '\\') = 0 THEN json_extract_scalar(${json}, ${member}) END`
  }

  // json_extract keeps a JSON null as the JSON text `null`; DuckDB's side maps it to NULL too.
  jsonText(json: Sql<string | null>, path: JsonPath): RawBuilder<string | null> {
    return sql<
      string | null
    >`NULLIF(json_format(json_extract(${json}, ${sql.lit(this.jsonPath(path))})), 'null')`
  }

  jsonArrayElements(
    json: Sql<string | null>,
    path: JsonPath,
    alias: string,
    column: string,
  ): RawBuilder<unknown> {
    // TRY_CAST: a non-array value gives no rows (a plain CAST fails); NULLIF: a JSON null element is NULL.
    return sql`UNNEST(transform(TRY_CAST(json_extract(${json}, ${sql.lit(this.jsonPath(path))}) AS ARRAY(JSON)), e -> NULLIF(json_format(e), 'null'))) AS ${sql.raw(this.quoteIdentifier(alias))}(${sql.raw(this.quoteIdentifier(column))})`
  }

  regexpReplaceAll(
    text: Sql<string | null>,
    pattern: string,
    replacement: string,
  ): RawBuilder<string | null> {
    this.checkReplacement(replacement)
    return sql<string | null>`regexp_replace(${text}, ${sql.lit(pattern)}, ${sql.lit(replacement)})`
  }

  // Trino has no exact median; approx_percentile is a t-digest estimate. On BIGINT input it returns
  // BIGINT, so cast to DOUBLE like DuckDB's median.
  median(value: Sql<number | null>): RawBuilder<number | null> {
    return sql<number | null>`approx_percentile(CAST(${value} AS DOUBLE), 0.5)`
  }

  abstract override createTableAs(table: TableRef, select: string, options?: CreateTableAsOptions): string

  // Trino has no table function over files: lake files are read through catalog tables.
  readJsonLines(): string {
    throw new UserError(
      `the ${this.name} engine reads lake files only through catalog tables (raw.<source>__<entity> in Glue)`,
    )
  }

  private jsonPath(path: JsonPath): string {
    return `$${this.steps(path)
      .map((s) => (typeof s === 'number' ? `[${s}]` : `["${s}"]`))
      .join('')}`
  }
}
