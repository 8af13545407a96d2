import type { SqlDialect } from '../sql/dialect.js'

/**
 * A value as every engine returns it, so that the same query gives equal JavaScript rows on
 * DuckDB and Athena: integers and decimals as `number` (a `bigint` only beyond 2^53), DATE as
 * `'YYYY-MM-DD'`, TIMESTAMP as ISO-8601 UTC `'YYYY-MM-DDTHH:MM:SS.sssZ'`, everything else as text.
 */
export type SqlValue = string | number | bigint | boolean | null
export type Row = Record<string, SqlValue>

export interface ColumnInfo {
  readonly name: string
  /** The engine's type name, upper case (e.g. `BIGINT`, `DECIMAL(18,2)`, `VARCHAR`). */
  readonly type: string
}

export interface QueryStats {
  /** Wall-clock time of the query as the engine reports it, in milliseconds. */
  readonly elapsedMs: number
  /** Bytes the engine read from storage (Athena's DataScannedInBytes; undefined on DuckDB). */
  readonly bytesScanned?: number
  /** The engine's id for the query (Athena QueryExecutionId). */
  readonly queryId?: string
}

export interface QueryResult<R = Row> {
  readonly rows: R[]
  readonly columns: readonly ColumnInfo[]
  readonly stats: QueryStats
}

export interface RunOptions {
  /** A short name for the query, used in errors and progress (e.g. the model or metric id). */
  readonly label?: string
  /** Cancels the query on the engine when aborted. */
  readonly signal?: AbortSignal
}

/** Something that runs SQL. Engines never build SQL; they run what the dialect layer rendered. */
export interface Engine {
  readonly dialect: SqlDialect
  /**
   * Runs one statement. `params` fill `?` placeholders (on Athena as SQL literals, see
   * `SqlDialect.literal`). Failures throw `UserError` naming the label and the engine's reason.
   */
  run<R = Row>(sql: string, params?: readonly SqlValue[], options?: RunOptions): Promise<QueryResult<R>>
  close(): Promise<void>
}

/** A short description of a statement for messages when no label is given. */
export function describeSql(sql: string): string {
  const text = sql.replace(/\s+/g, ' ').trim()
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text)
}
