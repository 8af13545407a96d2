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
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):?(\d{2}))?$/

/**
 * The text shapes `parseTimestamp` accepts, as a regular expression both engines read alike (RE2 on
 * DuckDB, Java on Trino). Each engine's own parser accepts more (DuckDB: zone names; Trino: week
 * dates, `T10Z`), so both dialects check this shape first and the accepted inputs are the same.
 */
export const TIMESTAMP_TEXT = String.raw`\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?)?`

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
      // Beyond 2^53 `String()` gives `1e+21`, which both engines read as a DOUBLE anyway.
      return Number.isSafeInteger(value) ? String(value) : `CAST(${value} AS DOUBLE)`
    }
    return `'${value.replaceAll("'", "''")}'`
  }

  dateLiteral(isoDate: string): RawBuilder<string> {
    const m = ISO_DATE.exec(isoDate)
    if (!m || utcMillis(m.slice(1, 4)) === undefined)
      throw new Error(`not a date: ${JSON.stringify(isoDate)}`)
    return sql<string>`DATE ${sql.raw(this.literal(isoDate))}`
  }

  timestampLiteral(isoTimestamp: string): RawBuilder<string> {
    const m = ISO_TIMESTAMP.exec(isoTimestamp)
    const local = m ? utcMillis(m.slice(1, 7)) : undefined
    if (!m || local === undefined) throw new Error(`not a timestamp: ${JSON.stringify(isoTimestamp)}`)
    // Written as zone-less UTC text: both engines read `TIMESTAMP '…'` without a zone. Computed by
    // hand rather than with Date.parse, which reads zone-less text in the machine's local zone.
    const [, , , , , , , fraction = '', zone, sign, hh = '0', mm = '0'] = m
    const offset = zone && zone !== 'Z' ? (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm)) : 0
    const utc = new Date(local - offset * 60_000).toISOString().slice(0, 19).replace('T', ' ')
    const digits = fraction.padEnd(3, '0').slice(0, 6)
    return sql<string>`TIMESTAMP ${sql.raw(this.literal(`${utc}.${digits}`))}`
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
  abstract jsonStringAt(
    json: Sql<string | null>,
    path: JsonPath,
    key: Sql<string | null>,
  ): RawBuilder<string | null>
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
    const missing = keys.filter((k) => !columns.includes(k))
    if (missing.length)
      throw new Error(`merge into ${target.name}: key ${missing.join(', ')} is not a column`)
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

/** Milliseconds of `[year, month, day, hour?, minute?, second?]` as UTC, or undefined for an impossible date or time. */
function utcMillis(parts: readonly (string | undefined)[]): number | undefined {
  const [y, mo, d, h = 0, mi = 0, s = 0] = parts.map(Number)
  if ([y, mo, d, h, mi, s].some((n) => n === undefined || Number.isNaN(n))) return undefined
  const date = new Date(0)
  date.setUTCFullYear(y as number, (mo as number) - 1, d)
  date.setUTCHours(h, mi, s)
  const exact =
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === (mo as number) - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === s
  return exact ? date.getTime() : undefined
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
