import { type RawBuilder, sql } from 'kysely'
import type { CreateTableAsOptions, DateUnit, DialectLimits, FileColumn, Sql, TableRef } from '../dialect.js'
import { DialectBase, TIMESTAMP_TEXT, UNIT_STEP } from '../dialect-base.js'
import type { JsonPath } from '../json-path.js'

const INTERVAL_FN = { day: 'to_days', month: 'to_months' } as const

/** DuckDB, the embedded engine. Overrides say which DuckDB behaviour differs from Trino's. */
export class DuckDbDialect extends DialectBase {
  readonly name = 'duckdb'
  readonly limits: DialectLimits = {
    maxQueryBytes: Number.POSITIVE_INFINITY,
    maxPartitionsPerWrite: Number.POSITIVE_INFINITY,
  }

  // DuckDB's date_trunc on a DATE returns TIMESTAMP; Trino returns DATE.
  dateTrunc(unit: DateUnit, date: Sql<string>): RawBuilder<string> {
    return sql<string>`CAST(date_trunc(${sql.lit(unit)}, ${date}) AS DATE)`
  }

  // DuckDB has no date_add(unit, n, d); DATE + INTERVAL gives TIMESTAMP, so cast back.
  dateAdd(unit: DateUnit, amount: Sql<number> | number, date: Sql<string>): RawBuilder<string> {
    const step = UNIT_STEP[unit]
    const n =
      typeof amount === 'number'
        ? sql.lit(amount * step.size)
        : sql`CAST(${amount} AS INTEGER) * ${sql.lit(step.size)}`
    return sql<string>`CAST(${date} + ${sql.raw(INTERVAL_FN[step.unit])}(${n}) AS DATE)`
  }

  // DuckDB's date_diff counts unit boundaries crossed (Jan 31 → Feb 1 = 1 month); datesub counts
  // whole units elapsed with the same month-end rule as Trino's date_diff (Jan 31 → Feb 29 = 1).
  dateDiff(unit: DateUnit, start: Sql<string>, end: Sql<string>): RawBuilder<number> {
    return sql<number>`datesub(${sql.lit(unit)}, ${start}, ${end})`
  }

  // DuckDB has no last_day_of_month; last_day returns a DATE for DATE and TIMESTAMP alike.
  lastDayOfMonth(date: Sql<string>): RawBuilder<string> {
    return sql<string>`last_day(${date})`
  }

  // to_timestamp returns TIMESTAMPTZ; make_timestamp(micros) gives a zone-less UTC TIMESTAMP, and
  // rounding to whole milliseconds first matches Trino's from_unixtime.
  fromUnixSeconds(seconds: Sql<number>): RawBuilder<string> {
    return sql<string>`make_timestamp(CAST(round(CAST(${seconds} AS DOUBLE) * 1000) AS BIGINT) * 1000)`
  }

  // DuckDB's cast to TIMESTAMPTZ also reads zone names and more; the shape check keeps it to what
  // Trino's from_iso8601_timestamp reads, and Trino keeps milliseconds where DuckDB keeps micros.
  parseTimestamp(text: Sql<string | null>): RawBuilder<string | null> {
    return sql<
      string | null
    >`CASE WHEN regexp_full_match(${text}, ${sql.lit(TIMESTAMP_TEXT)}) THEN date_trunc('millisecond', CAST(TRY_CAST(${text} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)) END`
  }

  // generate_series works on TIMESTAMP and returns TIMESTAMP; Trino's sequence works on DATE.
  dateSeries(
    unit: DateUnit,
    start: Sql<string>,
    end: Sql<string>,
    alias: string,
    column: string,
  ): RawBuilder<unknown> {
    const step = UNIT_STEP[unit]
    const interval = sql.raw(`INTERVAL ${step.size} ${step.unit.toUpperCase()}`)
    return sql`(SELECT CAST(g.d AS DATE) AS ${sql.raw(this.quoteIdentifier(column))} FROM generate_series(CAST(${start} AS TIMESTAMP), CAST(${end} AS TIMESTAMP), ${interval}) AS g(d)) AS ${sql.raw(this.quoteIdentifier(alias))}`
  }

  // `/` is always floating-point in DuckDB; `//` on BIGINTs truncates toward zero like Trino's
  // integer `/` (on DOUBLEs `//` would divide exactly). Trino fails on a zero divisor, hence NULLIF.
  intDiv(dividend: Sql<number>, divisor: Sql<number>): RawBuilder<number> {
    return sql<number>`(CAST(${dividend} AS BIGINT) // NULLIF(CAST(${divisor} AS BIGINT), 0))`
  }

  // json_extract_string also returns objects and arrays as text, and fails on text that is not JSON,
  // where Trino's json_extract_scalar gives NULL for both: json_value keeps scalars only, try() the rest.
  jsonString(json: Sql<string | null>, path: JsonPath): RawBuilder<string | null> {
    return sql<
      string | null
    >`try(json_extract_string(json_value(${json}, ${sql.lit(this.jsonPath(path))}), '$'))`
  }

  // The path is built per row. Quotes and backslashes are stripped from it so that it always parses
  // (DuckDB checks a constant path while binding, even in a branch not taken); such keys give NULL.
  jsonStringAt(json: Sql<string | null>, path: JsonPath, key: Sql<string | null>): RawBuilder<string | null> {
    const member = sql<string>`${sql.lit(`${this.jsonPath(path)}."`)} || replace(replace(${key}, '"', ''), '\\', '') || '"'`
    return sql<
      string | null
    >`CASE WHEN strpos(${key}, '"') = 0 AND strpos(${key}, '\\') = 0 THEN try(json_extract_string(json_value(${json}, ${member}), '$')) END`
  }

  // json_extract gives the JSON text `null` for a JSON null, and fails on text that is not JSON.
  jsonText(json: Sql<string | null>, path: JsonPath): RawBuilder<string | null> {
    return sql<
      string | null
    >`try(NULLIF(CAST(json_extract(${json}, ${sql.lit(this.jsonPath(path))}) AS VARCHAR), 'null'))`
  }

  // A cast to VARCHAR[] would unquote string elements; JSON[] keeps each element's JSON text.
  jsonArrayElements(
    json: Sql<string | null>,
    path: JsonPath,
    alias: string,
    column: string,
  ): RawBuilder<unknown> {
    return sql`unnest(CAST(TRY_CAST(try(json_extract(${json}, ${sql.lit(this.jsonPath(path))})) AS JSON[]) AS VARCHAR[])) AS ${sql.raw(this.quoteIdentifier(alias))}(${sql.raw(this.quoteIdentifier(column))})`
  }

  // DuckDB's regexp_replace replaces the first match unless given the 'g' option.
  regexpReplaceAll(
    text: Sql<string | null>,
    pattern: string,
    replacement: string,
  ): RawBuilder<string | null> {
    this.checkReplacement(replacement)
    return sql<string | null>`regexp_replace(${text}, ${sql.lit(pattern)}, ${sql.lit(replacement)}, 'g')`
  }

  // Cast to DOUBLE so the result type matches Athena's for integer and decimal inputs.
  median(value: Sql<number | null>): RawBuilder<number | null> {
    return sql<number | null>`median(CAST(${value} AS DOUBLE))`
  }

  // DuckDB has neither partitions nor external locations: the table lives in the database file.
  // Partition names are still checked, so a bad one fails locally as it would on Athena.
  createTableAs(table: TableRef, select: string, options: CreateTableAsOptions = {}): string {
    for (const column of options.partitionedBy ?? []) this.quoteIdentifier(column)
    return `CREATE TABLE ${this.tableName(table)} AS\n${select}`
  }

  // read_json with declared columns: no sampling, so an early file cannot narrow a column's type.
  readJsonLines(
    files: readonly string[],
    columns: readonly FileColumn[],
    partitions: readonly FileColumn[] = [],
  ): string {
    if (files.length === 0) throw new Error('readJsonLines needs at least one file')
    const entry = (c: FileColumn) => {
      this.quoteIdentifier(c.name) // validates the name
      return `${this.literal(c.name)}: ${this.literal(this.typeName(c.type))}`
    }
    const struct = (cs: readonly FileColumn[]) => `{${cs.map(entry).join(', ')}}`
    const options = [
      `format = 'newline_delimited'`,
      `columns = ${struct(columns)}`,
      ...(partitions.length ? [`hive_partitioning = true`, `hive_types = ${struct(partitions)}`] : []),
    ]
    return `read_json([${files.map((f) => this.literal(f)).join(', ')}], ${options.join(', ')})`
  }

  private jsonPath(path: JsonPath): string {
    return `$${this.steps(path)
      .map((s) => (typeof s === 'number' ? `[${s}]` : `."${s}"`))
      .join('')}`
  }
}
