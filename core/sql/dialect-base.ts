import { type QueryCompiler, type RawBuilder, sql } from 'kysely'
import type {
  CreateTableAsOptions,
  DateUnit,
  DialectLimits,
  DialectName,
  FileColumn,
  LiteralValue,
  MergeOptions,
  ScalarType,
  Sql,
  SqlDialect,
  TableRef,
} from './dialect.js'
import { type JsonPath, jsonPathSteps } from './json-path.js'
import { RevopsQueryCompiler } from './query-compiler.js'

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/

/**
 * What DuckDB and Trino spell the same way. Each engine subclass overrides only the hooks its
 * engine spells differently, with the reason beside the override.
 */
export abstract class DialectBase implements SqlDialect {
  abstract readonly name: DialectName
  abstract readonly limits: DialectLimits

  createQueryCompiler(): QueryCompiler {
    return new RevopsQueryCompiler()
  }

  literal(value: LiteralValue): string {
    if (value === null) return 'NULL'
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
    if (typeof value === 'bigint') return value.toString()
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a SQL literal`)
      return Number.isInteger(value) ? String(value) : `CAST(${value} AS DOUBLE)`
    }
    return `'${value.replaceAll("'", "''")}'`
  }

  dateLiteral(isoDate: string): RawBuilder<string> {
    if (!ISO_DATE.test(isoDate) || Number.isNaN(Date.parse(isoDate)))
      throw new Error(`not a date: ${isoDate}`)
    return sql<string>`DATE ${sql.raw(this.literal(isoDate))}`
  }

  timestampLiteral(isoTimestamp: string): RawBuilder<string> {
    const parsed = Date.parse(isoTimestamp)
    if (!ISO_TIMESTAMP.test(isoTimestamp) || Number.isNaN(parsed))
      throw new Error(`not a timestamp: ${isoTimestamp}`)
    // Normalised to UTC text without zone: both engines read `TIMESTAMP '…'` as a zone-less instant.
    const utc = new Date(parsed).toISOString().replace('T', ' ').replace('Z', '')
    return sql<string>`TIMESTAMP ${sql.raw(this.literal(utc))}`
  }

  quoteIdentifier(name: string): string {
    if (!IDENTIFIER.test(name))
      throw new Error(`identifier must be lower_snake_case: ${JSON.stringify(name)}`)
    return `"${name}"`
  }

  tableName(table: TableRef): string {
    return `${this.quoteIdentifier(table.schema)}.${this.quoteIdentifier(table.name)}`
  }

  typeName(type: ScalarType): string {
    return TYPE_NAMES[type]
  }

  cast<T>(value: Sql<unknown>, type: ScalarType): RawBuilder<T> {
    return sql<T>`CAST(${value} AS ${sql.raw(this.typeName(type))})`
  }

  tryCast<T>(value: Sql<unknown>, type: ScalarType): RawBuilder<T | null> {
    return sql<T | null>`TRY_CAST(${value} AS ${sql.raw(this.typeName(type))})`
  }

  abstract dateTrunc(unit: DateUnit, date: Sql<string>): RawBuilder<string>
  abstract dateAdd(unit: DateUnit, amount: Sql<number> | number, date: Sql<string>): RawBuilder<string>
  abstract dateDiff(unit: DateUnit, start: Sql<string>, end: Sql<string>): RawBuilder<number>
  abstract lastDayOfMonth(date: Sql<string>): RawBuilder<string>
  abstract fromUnixSeconds(seconds: Sql<number>): RawBuilder<string>
  abstract parseTimestamp(text: Sql<string | null>): RawBuilder<string | null>
  abstract dateSeries(
    unit: DateUnit,
    start: Sql<string>,
    end: Sql<string>,
    alias: string,
    column: string,
  ): RawBuilder<unknown>
  abstract intDiv(dividend: Sql<number>, divisor: Sql<number>): RawBuilder<number>
  abstract jsonString(json: Sql<string | null>, path: JsonPath): RawBuilder<string | null>
  abstract jsonText(json: Sql<string | null>, path: JsonPath): RawBuilder<string | null>
  abstract jsonArrayElements(
    json: Sql<string | null>,
    path: JsonPath,
    alias: string,
    column: string,
  ): RawBuilder<unknown>
  abstract regexpReplaceAll(
    text: Sql<string | null>,
    pattern: string,
    replacement: string,
  ): RawBuilder<string | null>
  abstract median(value: Sql<number | null>): RawBuilder<number | null>
  abstract createTableAs(table: TableRef, select: string, options?: CreateTableAsOptions): string
  abstract readJsonLines(
    files: readonly string[],
    columns: readonly FileColumn[],
    partitions?: readonly FileColumn[],
  ): string

  toDate(timestamp: Sql<string>): RawBuilder<string> {
    return sql<string>`CAST(${timestamp} AS DATE)`
  }

  safeDiv(dividend: Sql<number | null>, divisor: Sql<number | null>): RawBuilder<number | null> {
    return sql<number | null>`(CAST(${dividend} AS DOUBLE) / NULLIF(CAST(${divisor} AS DOUBLE), 0))`
  }

  // `||` propagates NULL on both engines; DuckDB's concat() would skip NULLs where Trino's returns NULL.
  concat(...parts: Sql<string | null>[]): RawBuilder<string | null> {
    if (parts.length === 0) return sql<string>`''`
    return sql<string | null>`(${sql.join(parts, sql` || `)})`
  }

  createOrReplaceView(view: TableRef, select: string): string {
    return `CREATE OR REPLACE VIEW ${this.tableName(view)} AS\n${select}`
  }

  dropTable(table: TableRef): string {
    return `DROP TABLE IF EXISTS ${this.tableName(table)}`
  }

  dropView(view: TableRef): string {
    return `DROP VIEW IF EXISTS ${this.tableName(view)}`
  }

  createSchema(schema: string): string {
    return `CREATE SCHEMA IF NOT EXISTS ${this.quoteIdentifier(schema)}`
  }

  merge({ target, source, keys, columns }: MergeOptions): string {
    if (keys.length === 0) throw new Error(`merge into ${target.name} needs at least one key`)
    const q = (c: string) => this.quoteIdentifier(c)
    const on = keys.map((k) => `t.${q(k)} = s.${q(k)}`).join(' AND ')
    const updates = columns.filter((c) => !keys.includes(c))
    const matched = updates.length
      ? `\nWHEN MATCHED THEN UPDATE SET ${updates.map((c) => `${q(c)} = s.${q(c)}`).join(', ')}`
      : ''
    return [
      `MERGE INTO ${this.tableName(target)} AS t`,
      `USING (${source}) AS s`,
      `ON ${on}${matched}`,
      `WHEN NOT MATCHED THEN INSERT (${columns.map(q).join(', ')}) VALUES (${columns.map((c) => `s.${q(c)}`).join(', ')})`,
    ].join('\n')
  }

  /** Validates a JSON path for the engine's path syntax. */
  protected steps(path: JsonPath): (string | number)[] {
    return jsonPathSteps(path)
  }

  /** Rejects replacement text that either engine would read as a back-reference. */
  protected checkReplacement(replacement: string): void {
    if (/[$\\]/.test(replacement)) throw new Error('regexpReplaceAll replacement must not contain $ or \\')
  }
}

const TYPE_NAMES: Record<ScalarType, string> = {
  varchar: 'VARCHAR',
  double: 'DOUBLE',
  bigint: 'BIGINT',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
}

/** Interval sizes in the one unit each engine can add exactly. */
export const UNIT_STEP: Record<DateUnit, { unit: 'day' | 'month'; size: number }> = {
  day: { unit: 'day', size: 1 },
  week: { unit: 'day', size: 7 },
  month: { unit: 'month', size: 1 },
  quarter: { unit: 'month', size: 3 },
  year: { unit: 'month', size: 12 },
}
