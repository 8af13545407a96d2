import { analyzeScript, type FunctionCall, type SqlValidation, validateWithGrammar } from '../sql-grammar.js'

export type { FunctionCall, SqlSyntaxError, SqlValidation } from '../sql-grammar.js'

/**
 * Checks SQL against Trino's grammar (the SQL Athena engine v3 runs), offline. Each statement of a
 * script is parsed on its own and reports at most its first error, at a line and column of `sql`.
 * Syntax only: unknown functions and wrong arities pass (see `validateAthenaSql` for functions).
 * The parser is loaded on first call; never import this from Lambda handler code.
 */
export function validateTrinoSql(sql: string): Promise<SqlValidation> {
  return validateWithGrammar('trino', sql)
}

/** The function calls of SQL that parses as Trino (none for statements that do not parse). */
export async function trinoFunctionCalls(sql: string): Promise<FunctionCall[]> {
  return (await analyzeScript('trino', sql, true)).flatMap((s) => s.functions)
}
