import { type AliasedRawBuilder, type Expression, type RawBuilder, sql } from 'kysely'
import type { SqlDialect } from '../../../../core/sql/dialect.js'

/**
 * Types a dialect FROM item (`dialect.jsonArrayElements`, `dialect.dateSeries`), which carries its
 * own alias and column, as a table Kysely can join: `.crossJoin(fromItem<{ item: … }, 'd'>(…))`.
 * Not aliased again: the item already reads `… AS "d"("item")`.
 */
export function fromItem<Row, Alias extends string>(
  item: RawBuilder<unknown>,
): AliasedRawBuilder<Row, Alias> {
  return item as unknown as AliasedRawBuilder<Row, Alias>
}

/**
 * The elements of a JSON array held as text in a column (e.g. `discount_amounts_json`) as a FROM
 * item: `dialect.jsonArrayElements` reads an array at a path, so the array is wrapped in an
 * object first. NULL or non-array text gives no rows.
 */
export function arrayElements<Alias extends string, Column extends string>(
  dialect: SqlDialect,
  arrayJson: Expression<string | null>,
  alias: Alias,
  column: Column,
): AliasedRawBuilder<{ [K in Column]: string | null }, Alias> {
  const wrapped = dialect.concat(sql.lit('{"items":'), arrayJson, sql.lit('}'))
  return fromItem(dialect.jsonArrayElements(wrapped, 'items', alias, column))
}
