import { type Expression, sql } from 'kysely'
import { expect } from 'vitest'
import type { DuckDbEngine } from '../../../core/engines/duckdb-engine.js'
import type { QueryResult, SqlValue } from '../../../core/engines/engine.js'
import type { SqlDialect } from '../../../core/sql/dialect.js'
import { compileOnlyKysely } from '../../../core/sql/kysely.js'

/** `SELECT <expr> AS v` as a dialect renders it; the helpers under test must not leave parameters. */
export function selectSql(dialect: SqlDialect, expr: Expression<unknown>): string {
  return statementSql(dialect, sql`SELECT ${expr} AS v`)
}

/** Any raw statement as a dialect renders it, checked to carry no `?` parameters. */
export function statementSql(dialect: SqlDialect, statement: Expression<unknown>): string {
  const compiled = sql`${statement}`.compile(compileOnlyKysely(dialect))
  expect(compiled.parameters).toEqual([])
  return compiled.sql
}

/** Runs a rendered statement on DuckDB. */
export function runDuckDb(engine: DuckDbEngine, text: string, label = 'parity'): Promise<QueryResult> {
  return engine.run(text, [], { label })
}

/** The single value and DuckDB type of `SELECT <expr> AS v`. */
export async function duckDbValue(
  engine: DuckDbEngine,
  expr: Expression<unknown>,
): Promise<{ value: SqlValue | undefined; type: string | undefined }> {
  const result = await runDuckDb(engine, selectSql(engine.dialect, expr))
  expect(result.rows).toHaveLength(1)
  return { value: result.rows[0]?.v, type: result.columns[0]?.type }
}
