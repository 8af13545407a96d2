import { type Expression, type RawBuilder, sql } from 'kysely'
import type { JsonPath, SqlDialect } from '../../../../core/sql/dialect.js'

/**
 * Typed reads of a vendor record's JSON text. CSV exports land typed by their contract (numbers,
 * booleans, ISO dates); API records may carry the same values as text, so every read converts
 * leniently: a value that does not convert is NULL, never a failed build. Empty text is NULL.
 */
export interface PayloadFields {
  text(path: JsonPath): RawBuilder<string | null>
  /** An email address, trimmed and lower-cased (people type them in any case). */
  email(path: JsonPath): RawBuilder<string | null>
  /** A currency code, upper-cased (exports mix `usd` and `USD`). */
  currency(path: JsonPath): RawBuilder<string | null>
  number(path: JsonPath): RawBuilder<number | null>
  integer(path: JsonPath): RawBuilder<number | null>
  boolean(path: JsonPath): RawBuilder<boolean | null>
  /** A DATE from `YYYY-MM-DD` or from an ISO date-time (its UTC day). */
  date(path: JsonPath): RawBuilder<string | null>
  /** A UTC TIMESTAMP from ISO-8601 text (Salesforce's `+0000` offsets included). */
  timestamp(path: JsonPath): RawBuilder<string | null>
}

export function payloadFields(dialect: SqlDialect, payload: Expression<string | null>): PayloadFields {
  const text = (path: JsonPath) => sql<string | null>`nullif(trim(${dialect.jsonString(payload, path)}), '')`
  return {
    text,
    email: (path) => sql<string | null>`lower(${text(path)})`,
    currency: (path) => sql<string | null>`upper(${text(path)})`,
    number: (path) => dialect.tryCast<number>(text(path), 'double'),
    integer: (path) => dialect.tryCast<number>(text(path), 'bigint'),
    boolean: (path) => dialect.tryCast<boolean>(text(path), 'boolean'),
    date: (path) => dateOf(dialect, text(path)),
    timestamp: (path) => timestampOf(dialect, text(path)),
  }
}

/** A UTC TIMESTAMP from ISO-8601 text; anything else is NULL. */
export function timestampOf(dialect: SqlDialect, text: Expression<string | null>): RawBuilder<string | null> {
  return dialect.parseTimestamp(text)
}

/** The UTC day of a date or date-time text. */
export function dateOf(dialect: SqlDialect, text: Expression<string | null>): RawBuilder<string | null> {
  return sql<string | null>`${dialect.toDate(sql<string>`${dialect.parseTimestamp(text)}`)}`
}
