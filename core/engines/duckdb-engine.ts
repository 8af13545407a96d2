import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { type DuckDBConnection, DuckDBInstance, type DuckDBType, DuckDBTypeId } from '@duckdb/node-api'
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
import { dateValue, integerValue, timestampValue } from './values.js'

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
    const onAbort = () => connection.interrupt()
    options.signal?.addEventListener('abort', onAbort, { once: true })
    const started = performance.now()
    try {
      options.signal?.throwIfAborted()
      const reader = await connection.runAndReadAll(sql, params.length ? [...params] : undefined)
      const types = reader.columnTypes()
      const names = reader.columnNames()
      const columns: ColumnInfo[] = names.map((name, i) => ({ name, type: String(types[i]).toUpperCase() }))
      const converters = types.map(converterFor)
      const rows = reader.getRowsJS().map((values) => {
        const row: Row = {}
        for (let i = 0; i < names.length; i++)
          row[names[i] as string] = (converters[i] as Converter)(values[i])
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

type Converter = (value: unknown) => SqlValue

function converterFor(type: DuckDBType): Converter {
  switch (type.typeId) {
    case DuckDBTypeId.DATE:
      return (v) => (v instanceof Date ? dateValue(v) : nullOrText(v))
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return (v) => (v instanceof Date ? timestampValue(v) : nullOrText(v))
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return (v) => (typeof v === 'bigint' ? integerValue(v) : (v as SqlValue))
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
      // Nested values travel as JSON text, as Athena returns them as text too.
      return (v) =>
        v === null ? null : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? integerValue(x) : x))
    default:
      return (v) =>
        v === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof v)
          ? (v as SqlValue)
          : String(v)
  }
}

function nullOrText(value: unknown): SqlValue {
  return value === null || value === undefined ? null : String(value)
}
