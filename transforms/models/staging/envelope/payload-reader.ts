import { type Expression, type RawBuilder, sql } from 'kysely'
import type { JsonPath, SqlDialect } from '../../../../core/sql/dialect.js'

/**
 * Typed readers for fields of a JSON payload column, all through the dialect. Absent fields, JSON
 * nulls and values that do not convert read as NULL (landing already checked each record's contract). Stripe's amounts and timestamps are integers (minor units, Unix
 * seconds); finance rows land typed by their contract (numbers, ISO dates).
 */
export interface PayloadReader {
  text(path: JsonPath): RawBuilder<string | null>
  /** A currency code, upper-cased (Stripe writes `usd`, finance files `USD`). */
  currency(path: JsonPath): RawBuilder<string | null>
  int(path: JsonPath): RawBuilder<number | null>
  number(path: JsonPath): RawBuilder<number | null>
  bool(path: JsonPath): RawBuilder<boolean | null>
  /** A Unix-seconds field as a UTC TIMESTAMP. */
  timestamp(path: JsonPath): RawBuilder<string | null>
  /** A `YYYY-MM-DD` field as a DATE. */
  date(path: JsonPath): RawBuilder<string | null>
  /** An expandable reference: the id string, or the `id` of the expanded object. */
  id(path: string): RawBuilder<string | null>
  /** Compact JSON text of an object or array (arrays are read with `dialect.jsonArrayElements`). */
  json(path: JsonPath): RawBuilder<string | null>
}

export function payloadReader(dialect: SqlDialect, payload: Expression<string | null>): PayloadReader {
  const text = (path: JsonPath) => dialect.jsonString(payload, path)
  return {
    text,
    currency: (path) => sql<string | null>`upper(${text(path)})`,
    int: (path) => dialect.tryCast<number>(text(path), 'bigint'),
    number: (path) => dialect.tryCast<number>(text(path), 'double'),
    bool: (path) => dialect.tryCast<boolean>(text(path), 'boolean'),
    timestamp: (path) =>
      sql<
        string | null
      >`${dialect.fromUnixSeconds(sql<number>`${dialect.tryCast<number>(text(path), 'bigint')}`)}`,
    date: (path) => dialect.tryCast<string>(text(path), 'date'),
    id: (path) => sql<string | null>`coalesce(${text(path)}, ${text(`${path}.id`)})`,
    json: (path) => dialect.jsonText(payload, path),
  }
}
