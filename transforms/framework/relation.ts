import type { z } from 'zod'
import { UserError } from '../../core/errors.js'

/**
 * Output columns of a model or source: a zod object of scalars (string, enum, number, int,
 * boolean, ISO date, ISO datetime), `.nullable()` where the data may hold NULL. It is both the
 * row type that downstream queries see at compile time and the contract checked after each build.
 */
export type Columns = z.ZodObject

/** The row type of a model or source, from its declared columns. */
export type RowOf<R> = R extends { readonly columns: infer S extends z.ZodType } ? z.output<S> : never

/** A column name of a row type. */
export type ColumnName<Row> = keyof Row & string

/** What models and sources share: anything a model can read, always referenced by import. */
export interface RelationBase<S extends Columns = Columns> {
  /** Unique in the project: the model name, or `raw.<source>__<entity>` for a source. */
  readonly id: string
  readonly description: string
  readonly columns: S
}

const NAME = /^[a-z][a-z0-9_]*$/

/** Names are lower_snake_case: Glue lower-cases names, so mixed case would collide on Athena. */
export function checkName(what: string, name: string): string {
  if (!NAME.test(name) || name.length > 100) {
    throw new UserError(`${what} must be lower_snake_case, at most 100 characters: ${JSON.stringify(name)}`)
  }
  return name
}
