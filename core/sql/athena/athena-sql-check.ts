import { analyzeStatement, type SqlSyntaxError, type SqlValidation, splitStatements } from '../sql-grammar.js'
import { ATHENA_FUNCTIONS } from './athena-functions.js'

// Statements Athena runs as Hive DDL (back-quoted identifiers) rather than as Trino SQL.
const HIVE_DDL =
  /^(?:DROP\s+TABLE|CREATE\s+(?:SCHEMA|DATABASE|EXTERNAL\s+TABLE)|DROP\s+(?:SCHEMA|DATABASE)|ALTER\s+TABLE|MSCK\s+REPAIR)\b/i
const LEADING_COMMENTS = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/

/**
 * Checks SQL as Athena engine v3 would take it, offline: Hive DDL statements (DROP TABLE, CREATE
 * SCHEMA, …) against the Hive grammar; everything else against Trino's grammar, without
 * back-quoted identifiers, calling only functions in `ATHENA_FUNCTIONS`. A statement that does not
 * parse reports its first syntax error only. Loads the parser on first call; never import this from
 * Lambda handler code.
 */
export async function validateAthenaSql(sql: string): Promise<SqlValidation> {
  const slices = splitStatements(sql)
  if (slices.length === 0) return { ok: false, errors: [{ line: 1, column: 1, message: 'no SQL statement' }] }
  const errors: SqlSyntaxError[] = []
  for (const slice of slices) {
    const hive = HIVE_DDL.test(slice.text.replace(LEADING_COMMENTS, ''))
    const analysis = await analyzeStatement(hive ? 'hive' : 'trino', slice, !hive)
    const unknown = analysis.functions
      .filter((f) => !ATHENA_FUNCTIONS.has(f.name))
      .map((f) => ({
        line: f.line,
        column: f.column,
        message: `function ${f.name} is not in the Athena engine v3 list (core/sql/athena/athena-functions.ts)`,
      }))
    if (analysis.error) errors.push(analysis.error)
    else errors.push(...analysis.backquoted, ...unknown)
  }
  return { ok: errors.length === 0, errors }
}
