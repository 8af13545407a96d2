import type { ColumnInfo as AthenaColumnInfo, ResultSet } from '@aws-sdk/client-athena'
import type { ColumnInfo, Row, SqlValue } from './engine.js'
import { athenaTimestampValue, integerValue } from './values.js'

type Converter = (text: string) => SqlValue

/**
 * Rows of one query gathered from GetQueryResults pages, typed through the columns' Athena types
 * (`VarCharValue` is always text) so they equal what DuckDB returns for the same query.
 */
export class AthenaResultSet {
  readonly rows: Row[] = []
  #columns: ColumnInfo[] | undefined
  #converters: Converter[] = []
  #pendingHeader: boolean

  /**
   * @param hasHeader whether the first row of the first page repeats the column names: Athena
   *   adds that row to the results of a SELECT, not to those of DDL or of writes (CTAS, INSERT).
   */
  constructor(hasHeader: boolean) {
    this.#pendingHeader = hasHeader
  }

  get columns(): readonly ColumnInfo[] {
    return this.#columns ?? []
  }

  add(page: ResultSet | undefined): void {
    if (this.#columns === undefined) {
      const infos = page?.ResultSetMetadata?.ColumnInfo ?? []
      this.#columns = infos.map(columnOf)
      this.#converters = infos.map(converterOf)
    }
    const columns = this.#columns
    let rows = page?.Rows ?? []
    if (this.#pendingHeader && rows.length > 0) {
      this.#pendingHeader = false
      const first = rows[0]?.Data ?? []
      // Drop the header only when it is one; a value row is never dropped on a guess.
      if (columns.every((column, i) => first[i]?.VarCharValue === column.name)) rows = rows.slice(1)
    }
    for (const athenaRow of rows) {
      const data = athenaRow.Data ?? []
      const row: Row = {}
      for (let i = 0; i < columns.length; i++) {
        const column = columns[i] as ColumnInfo
        const text = data[i]?.VarCharValue
        // Athena sends NULL as a Datum without VarCharValue (and '' for an empty string).
        row[column.name] = text === undefined ? null : convert(this.#converters[i] as Converter, text, column)
      }
      this.rows.push(row)
    }
  }
}

function columnOf(info: AthenaColumnInfo): ColumnInfo {
  const type = (info.Type ?? 'unknown').toUpperCase()
  const name = info.Name ?? info.Label ?? ''
  return {
    name,
    type:
      type === 'DECIMAL' && info.Precision !== undefined
        ? `DECIMAL(${info.Precision},${info.Scale ?? 0})`
        : type,
  }
}

function converterOf(info: AthenaColumnInfo): Converter {
  switch ((info.Type ?? '').toLowerCase()) {
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'int':
    case 'bigint':
      return (text) => integerValue(BigInt(text))
    case 'decimal':
    case 'double':
    case 'float':
    case 'real':
      return (text) => Number(text)
    case 'boolean':
      return (text) => text === 'true'
    case 'date':
      return (text) => text
    case 'timestamp':
      return athenaTimestampValue
    case 'timestamp with time zone':
      return zonedTimestampValue
    default:
      // varchar, char, json, arrays, maps, rows, time, intervals, varbinary: Athena's text as is.
      return (text) => text
  }
}

function convert(converter: Converter, text: string, column: ColumnInfo): SqlValue {
  try {
    return converter(text)
  } catch {
    throw new Error(`Athena returned ${JSON.stringify(text)} for ${column.type} column ${column.name}`)
  }
}

/**
 * `2024-01-31 10:00:00.000 UTC` (or with an offset) as ISO UTC; a named zone other than UTC
 * stays text, since converting it needs a zone database and engines agree on UTC sessions.
 */
function zonedTimestampValue(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?) (UTC|Z|[+-]\d{2}:\d{2})$/.exec(text)
  if (!match) return text
  const local = athenaTimestampValue(match[1] as string)
  const zone = match[2] as string
  if (zone === 'UTC' || zone === 'Z') return local
  return new Date(local.replace('Z', zone)).toISOString()
}
