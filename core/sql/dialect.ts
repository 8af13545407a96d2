import type { Expression, QueryCompiler, RawBuilder } from 'kysely'
import type { JsonPath } from './json-path.js'

export type { JsonPath } from './json-path.js'

export type DialectName = 'duckdb' | 'athena'
export const DIALECT_NAMES = ['duckdb', 'athena'] as const satisfies readonly DialectName[]

/** Calendar units shared by truncation, arithmetic and series. Weeks start on Monday (ISO) on both engines. */
export type DateUnit = 'day' | 'week' | 'month' | 'quarter' | 'year'
export const DATE_UNITS = ['day', 'week', 'month', 'quarter', 'year'] as const satisfies readonly DateUnit[]

/** A value that can be written as a SQL literal. Dates are `'YYYY-MM-DD'` strings wrapped by `dateLiteral`. */
export type LiteralValue = string | number | bigint | boolean | null

/** Anything Kysely can splice into SQL: `sql\`…\``, `sql.ref('t.c')`, `sql.lit(1)`, an expression builder node. */
export type Sql<T> = Expression<T>

/** Portable scalar types; each dialect spells them (`VARCHAR`, `DOUBLE`, …). */
export type ScalarType = 'varchar' | 'double' | 'bigint' | 'integer' | 'boolean' | 'date' | 'timestamp'

/** A table in a schema (DuckDB) or Glue database (Athena). Names are lower_snake_case. */
export interface TableRef {
  readonly schema: string
  readonly name: string
}

export interface CreateTableAsOptions {
  /** Columns to partition by (Athena Iceberg `partitioning`; ignored by DuckDB, which has no partitions). */
  readonly partitionedBy?: readonly string[]
  /** Storage location of the table's data (Athena: a fresh S3 prefix per build). */
  readonly location?: string
}

export interface MergeOptions {
  readonly target: TableRef
  /** A SELECT producing one row per key (deduplicate before merging: Athena rejects duplicate matches). */
  readonly source: string
  readonly keys: readonly string[]
  readonly columns: readonly string[]
}

/** Engine limits the framework must respect, as typed facts rather than branches on the dialect name. */
export interface DialectLimits {
  /** Longest statement the engine accepts, in bytes (Athena: 262,144). */
  readonly maxQueryBytes: number
  /** Most partitions one INSERT/CTAS may write (Athena: 100). */
  readonly maxPartitionsPerWrite: number
}

/**
 * The dialect seam. Everything that is spelled differently on DuckDB and on Athena (Trino) is a
 * method here, and nothing outside `core/sql` branches on the engine. Expression helpers return
 * Kysely `RawBuilder`s so they compose inside typed Kysely queries and inside raw `sql` templates.
 */
export interface SqlDialect {
  readonly name: DialectName
  readonly limits: DialectLimits

  /** Kysely's compiler for this engine: double-quoted identifiers and `?` placeholders. */
  createQueryCompiler(): QueryCompiler

  /**
   * A literal that is safe to splice into SQL text: strings quoted with `'` doubled (both engines
   * read backslashes literally), integers as digits, other numbers as `CAST(… AS DOUBLE)`.
   */
  literal(value: LiteralValue): string
  /** A DATE literal from `'YYYY-MM-DD'`; throws on anything else, including impossible days (`2024-02-30`). */
  dateLiteral(isoDate: string): RawBuilder<string>
  /**
   * A zone-less TIMESTAMP literal holding the UTC instant of an ISO-8601 string (`T` or space,
   * optional fraction, optional `Z`/`±HH:MM`/`±HHMM`; no zone means UTC). Throws on anything else.
   */
  timestampLiteral(isoTimestamp: string): RawBuilder<string>
  /** Double-quoted identifier; rejects names that are not lower_snake_case. */
  quoteIdentifier(name: string): string
  /** `"schema"."name"`. */
  tableName(table: TableRef): string
  /** The engine's spelling of a portable scalar type, for CAST. */
  typeName(type: ScalarType): string

  /**
   * CAST. Same results on both engines for clean input (`'12'`, `'12.5'`, `'2024-01-31'`, numbers).
   * Not hidden, so check text shapes in staging: DuckDB also converts `'2.5'`/`'1e3'` to integers,
   * `'yes'` to TRUE and `'2024-1-5'` to a date, where Trino fails; DOUBLE to integer rounds ties to
   * even on DuckDB and away from zero on Trino; DOUBLE to VARCHAR gives `1.5` vs `1.5E0`.
   */
  cast<T>(value: Sql<unknown>, type: ScalarType): RawBuilder<T>
  /** Like `cast` but NULL where the value does not convert (see `cast` for the text shapes). */
  tryCast<T>(value: Sql<unknown>, type: ScalarType): RawBuilder<T | null>

  /** First day of the unit containing `date` (weeks start on Monday); DATE in, DATE out on both engines. */
  dateTrunc(unit: DateUnit, date: Sql<string>): RawBuilder<string>
  /** `date` moved by `amount` units (may be negative); month ends clamp (Jan 31 + 1 month = Feb 29). DATE in, DATE out. */
  dateAdd(unit: DateUnit, amount: Sql<number> | number, date: Sql<string>): RawBuilder<string>
  /**
   * Whole units elapsed from `start` to `end`, negative when `end` is earlier (Trino semantics: Jan 31
   * → Feb 1 is 0 months, Jan 31 → Feb 29 is 1). DATEs or TIMESTAMPs; the time of day counts.
   */
  dateDiff(unit: DateUnit, start: Sql<string>, end: Sql<string>): RawBuilder<number>
  /** Last day of the month containing `date`, as DATE. */
  lastDayOfMonth(date: Sql<string>): RawBuilder<string>
  /** DATE of a TIMESTAMP (UTC). */
  toDate(timestamp: Sql<string>): RawBuilder<string>
  /** TIMESTAMP (UTC, millisecond precision) from seconds since the Unix epoch (Stripe's `created`, …). */
  fromUnixSeconds(seconds: Sql<number>): RawBuilder<string>
  /**
   * TIMESTAMP (UTC, millisecond precision) from ISO-8601 text: `YYYY-MM-DD`, or that plus `T` or a
   * space, `HH:MM:SS`, an optional fraction and an optional `Z`, `±HH:MM` or `±HHMM` (Salesforce's
   * `+0000`). No offset means UTC. Anything else, impossible dates included, is NULL on both engines.
   */
  parseTimestamp(text: Sql<string | null>): RawBuilder<string | null>

  /**
   * A FROM-clause item yielding one DATE column `column` per `unit` from `start` to `end`
   * inclusive (both DATE expressions already aligned to the unit; no rows when `end` < `start`).
   * It may refer to columns of earlier FROM items. Athena caps a series at 10,000 elements.
   */
  dateSeries(
    unit: DateUnit,
    start: Sql<string>,
    end: Sql<string>,
    alias: string,
    column: string,
  ): RawBuilder<unknown>

  /** Division of integers truncating toward zero (Trino `/` on integers: 7/2 = 3, -7/2 = -3); NULL when the divisor is 0. */
  intDiv(dividend: Sql<number>, divisor: Sql<number>): RawBuilder<number>
  /** Floating-point division that is NULL when the divisor is 0 or NULL. */
  safeDiv(dividend: Sql<number | null>, divisor: Sql<number | null>): RawBuilder<number | null>

  /**
   * The scalar at a JSON path (`'a.b'`, `'items.0.id'`, `['segments.date']`) of a JSON text column,
   * as text (`true`, `1.5`, unescaped strings). NULL if absent, JSON null, an object or array, or the
   * text is not JSON. Numbers in unusual spellings (`1.50`, `1e3`) are normalized by DuckDB only.
   */
  jsonString(json: Sql<string | null>, path: JsonPath): RawBuilder<string | null>
  /**
   * Like `jsonString`, for the member named by a run-time value (`key`, e.g. a column) of the
   * object at `path`: HubSpot keeps a deal's stage dates in properties named by the stage id
   * (`hs_date_entered_<stageId>`). NULL when the key is NULL or holds `"` or `\\`.
   */
  jsonStringAt(json: Sql<string | null>, path: JsonPath, key: Sql<string | null>): RawBuilder<string | null>
  /** The compact JSON text (object, array or scalar, strings quoted) at a path; NULL if absent, JSON null or not JSON. */
  jsonText(json: Sql<string | null>, path: JsonPath): RawBuilder<string | null>
  /**
   * A FROM-clause item that expands the JSON array at `path` of a JSON text column into rows
   * with one column `column` holding each element's compact JSON text (NULL for a JSON null element).
   * CROSS JOIN it; an empty array, a missing path, a non-array value or text that is not JSON gives no rows.
   */
  jsonArrayElements(
    json: Sql<string | null>,
    path: JsonPath,
    alias: string,
    column: string,
  ): RawBuilder<unknown>

  /** String concatenation that is NULL when any part is NULL (Trino `concat`). */
  concat(...parts: Sql<string | null>[]): RawBuilder<string | null>
  /** Replaces every match of a regular expression (`replacement` is literal text, no back-references). */
  regexpReplaceAll(text: Sql<string | null>, pattern: string, replacement: string): RawBuilder<string | null>
  /**
   * Median as DOUBLE. Exact on DuckDB (the mean of the two middle values on even counts); Athena has
   * no exact median, so it is a t-digest estimate there (`approx_percentile`), which on small inputs
   * may return one of the two middle values instead of their mean.
   */
  median(value: Sql<number | null>): RawBuilder<number | null>

  /** CREATE TABLE AS; on Athena an Iceberg table in Parquet at `location`. Not `OR REPLACE`: callers build new names. */
  createTableAs(table: TableRef, select: string, options?: CreateTableAsOptions): string
  /** CREATE OR REPLACE VIEW. */
  createOrReplaceView(view: TableRef, select: string): string
  /** DROP TABLE IF EXISTS (on Athena a Hive DDL statement, so identifiers are back-quoted). */
  dropTable(table: TableRef): string
  dropView(view: TableRef): string
  /** CREATE SCHEMA IF NOT EXISTS (on Athena a Hive DDL statement, so the name is back-quoted). */
  createSchema(schema: string): string
  /** Upsert `source` into `target` by `keys` (each also in `columns`): update matched rows, insert the others. */
  merge(options: MergeOptions): string

  /**
   * A FROM-clause item reading newline-delimited JSON files (plain or gzip) with explicit column
   * types; `partitions` come from Hive `key=value` folders in the paths. Engines that read lake
   * files only through catalog tables (Athena: the Glue tables of the CDK app) throw `UserError`.
   */
  readJsonLines(
    files: readonly string[],
    columns: readonly FileColumn[],
    partitions?: readonly FileColumn[],
  ): string
}

/** A column of a file read by `readJsonLines`. */
export interface FileColumn {
  readonly name: string
  readonly type: ScalarType
}
