import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import {
  DuckDBArrayType,
  DuckDBArrayValue,
  type DuckDBConnection,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBListType,
  DuckDBListValue,
  DuckDBMapType,
  DuckDBMapValue,
  DuckDBStructType,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api'
import { oneLine, UserError } from '../errors.js'
import { DuckDbDialect } from '../sql/duckdb/duckdb-dialect.js'
import {
  type ColumnInfo,
  describeSql,
  type Engine,
  type QueryResult,
  type Row,
  type RunOptions,
  type SqlValue,
} from './engine.js'
import { integerValue, type JsonValue, jsonText, timestampFromMicros } from './values.js'

export interface DuckDbEngineOptions {
  /** A database file, or `':memory:'`. */
  readonly path: string
  readonly readOnly?: boolean
}

/**
 * The embedded engine: DuckDB in this process. Sessions are UTC and never download extensions
 * (parquet, json and icu are built in), so nothing here touches the network.
 */
export class DuckDbEngine implements Engine {
  readonly dialect = new DuckDbDialect()
  readonly #instance: DuckDBInstance
  readonly #idle: DuckDBConnection[] = []
  readonly #open = new Set<DuckDBConnection>()
  readonly path: string

  private constructor(instance: DuckDBInstance, path: string) {
    this.#instance = instance
    this.path = path
  }

  static async open(options: DuckDbEngineOptions): Promise<DuckDbEngine> {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true })
    try {
      const instance = await DuckDBInstance.create(options.path, {
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'true',
        ...(options.readOnly ? { access_mode: 'READ_ONLY' } : {}),
      })
      return new DuckDbEngine(instance, options.path)
    } catch (error) {
      const locked = /lock/i.test(oneLine(error))
      throw new UserError(`cannot open DuckDB database ${options.path}: ${oneLine(error)}`, {
        ...(locked
          ? { hint: 'another process holds the database open; DuckDB allows one writer per file' }
          : {}),
        cause: error,
      })
    }
  }

  async run<R = Row>(
    sql: string,
    params: readonly SqlValue[] = [],
    options: RunOptions = {},
  ): Promise<QueryResult<R>> {
    const connection = this.#idle.pop() ?? (await this.#connect())
    let interrupter: ReturnType<typeof setInterval> | undefined
    const onAbort = () => {
      connection.interrupt()
      // DuckDB clears a pending interrupt when a statement starts, so one sent between this call
      // and the start of the native query is lost: repeat it until the run settles.
      interrupter = setInterval(() => connection.interrupt(), 10)
    }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    const started = performance.now()
    try {
      options.signal?.throwIfAborted()
      const reader = await connection.runAndReadAll(sql, params.length ? [...params] : undefined)
      const types = reader.columnTypes()
      const names = reader.columnNames()
      // DuckDB spells type keywords in upper case already; upper-casing again would alter STRUCT field names.
      const columns: ColumnInfo[] = names.map((name, i) => ({ name, type: String(types[i]) }))
      const rows = reader.getRows().map((values) => {
        const row: Row = {}
        for (let i = 0; i < names.length; i++)
          row[names[i] as string] = rowValue(values[i] ?? null, types[i] as DuckDBType)
        return row as R
      })
      return { rows: rows as R[], columns, stats: { elapsedMs: performance.now() - started } }
    } catch (error) {
      if (options.signal?.aborted)
        throw new UserError(`query ${options.label ?? describeSql(sql)} was cancelled`)
      throw new UserError(`query ${options.label ?? describeSql(sql)} failed on DuckDB: ${oneLine(error)}`, {
        cause: error,
      })
    } finally {
      clearInterval(interrupter)
      options.signal?.removeEventListener('abort', onAbort)
      this.#idle.push(connection)
    }
  }

  async close(): Promise<void> {
    for (const connection of this.#open) connection.closeSync()
    this.#open.clear()
    this.#idle.length = 0
    this.#instance.closeSync()
  }

  async #connect(): Promise<DuckDBConnection> {
    const connection = await this.#instance.connect()
    // Set per session: the icu extension that owns the setting is not loaded at instance creation.
    await connection.run(`SET TimeZone = 'UTC'`)
    this.#open.add(connection)
    return connection
  }
}

/**
 * A DuckDB value in the engine-neutral row convention (see `SqlValue`). Nested values (LIST, ARRAY,
 * STRUCT, MAP) become JSON text, as Athena returns them as text too.
 */
function rowValue(value: DuckDBValue, type: DuckDBType): SqlValue {
  const converted = nestedValue(value, type)
  return converted === null || typeof converted !== 'object' ? converted : jsonText(converted)
}

/** Converts one value, recursing into nested types; read from DuckDB's own value objects so no range is lost. */
function nestedValue(value: DuckDBValue, type: DuckDBType): JsonValue {
  if (value === null) return null
  if (typeof value === 'bigint') return integerValue(value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value
  if (value instanceof DuckDBDecimalValue) return value.toDouble()
  if (value instanceof DuckDBDateValue) return dateText(value)
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue)
    return timestampFromMicros(value.micros) ?? value.toString()
  if (value instanceof DuckDBTimestampSecondsValue)
    return timestampFromMicros(value.seconds * 1_000_000n, value.seconds) ?? value.toString()
  if (value instanceof DuckDBTimestampMillisecondsValue)
    return timestampFromMicros(value.millis * 1000n, value.millis) ?? value.toString()
  if (value instanceof DuckDBTimestampNanosecondsValue)
    return timestampFromMicros(floorDiv(value.nanos, 1000n), value.nanos) ?? value.toString()
  if (value instanceof DuckDBListValue && type instanceof DuckDBListType)
    return value.items.map((item) => nestedValue(item, type.valueType))
  if (value instanceof DuckDBArrayValue && type instanceof DuckDBArrayType)
    return value.items.map((item) => nestedValue(item, type.valueType))
  if (value instanceof DuckDBStructValue && type instanceof DuckDBStructType) {
    const object: Record<string, JsonValue> = {}
    type.entryNames.forEach((name, i) => {
      object[name] = nestedValue(value.entries[name] ?? null, type.entryTypes[i] as DuckDBType)
    })
    return object
  }
  if (value instanceof DuckDBMapValue && type instanceof DuckDBMapType) {
    const object: Record<string, JsonValue> = {}
    for (const { key, value: v } of value.entries)
      object[String(nestedValue(key, type.keyType))] = nestedValue(v, type.valueType)
    return object
  }
  // TIME, INTERVAL, UUID, BLOB, BIT, UNION, …: DuckDB's own text.
  return value.toString()
}

const INFINITE_DAYS = DuckDBDateValue.PosInf.days

function dateText(date: DuckDBDateValue): string {
  if (date.days === INFINITE_DAYS) return 'infinity'
  if (date.days === -INFINITE_DAYS) return '-infinity'
  return date.toString()
}

/** Division rounding toward negative infinity (bigint `/` truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q
}
