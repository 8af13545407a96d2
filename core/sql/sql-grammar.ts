import type { HiveSQL, ParseError, TrinoSQL } from 'dt-sql-parser'
import { oneLine } from '../errors.js'

/**
 * Offline SQL grammar checks on dt-sql-parser's ANTLR grammars. The parser costs 1–2 s to import
 * and ~20 MB, so it is imported on first use, and only build-time code (tests, `revops check`,
 * `compile`) may reach this module; Lambda handlers must not (test/core/sql/trino-grammar.test.ts).
 * dt-sql-parser loads under tsx, vitest and bundlers, not plain node (directory imports).
 */

export type GrammarName = 'trino' | 'hive'

/** A syntax error at a 1-based line and column of the checked text. */
export interface SqlSyntaxError {
  readonly line: number
  readonly column: number
  readonly message: string
}

export interface SqlValidation {
  readonly ok: boolean
  /** At most one error per statement: the first, as the rest of a cascade only repeats it. */
  readonly errors: readonly SqlSyntaxError[]
}

/** A function call found in parsed SQL: its name in lower case, unquoted, with catalog prefix if any. */
export interface FunctionCall {
  readonly name: string
  readonly line: number
  readonly column: number
}

/** One statement of a script, with the position of its first character in the script. */
export interface StatementSlice {
  readonly text: string
  readonly line: number
  readonly column: number
}

export interface StatementAnalysis {
  readonly error?: SqlSyntaxError
  readonly functions: readonly FunctionCall[]
  readonly backquoted: readonly SqlSyntaxError[]
}

type DtSqlParser = typeof import('dt-sql-parser')
type Grammar = TrinoSQL | HiveSQL

let loading: Promise<DtSqlParser> | undefined
const grammars = new Map<GrammarName, Grammar>()

async function grammar(name: GrammarName): Promise<{ grammar: Grammar; module: DtSqlParser }> {
  loading ??= import('dt-sql-parser').catch((error: unknown) => {
    loading = undefined
    throw new Error(`cannot load dt-sql-parser (it runs under tsx, vitest or a bundle): ${oneLine(error)}`)
  })
  const module = await loading
  let instance = grammars.get(name)
  if (!instance) {
    instance = name === 'trino' ? new module.TrinoSQL() : new module.HiveSQL()
    grammars.set(name, instance)
  }
  return { grammar: instance, module }
}

/**
 * Splits a script at top-level semicolons, respecting quotes (`'…'` with `''`, `"…"`, `` `…` ``)
 * and comments (`--`, `/* … *\/`). Slices holding only blanks and comments are dropped.
 */
export function splitStatements(script: string): StatementSlice[] {
  const slices: StatementSlice[] = []
  let start = 0
  let line = 1
  let column = 1
  let startLine = 1
  let startColumn = 1
  let quote: string | undefined
  let comment: '--' | '/*' | undefined
  let meaningful = false
  const flush = (end: number) => {
    if (meaningful) slices.push({ text: script.slice(start, end), line: startLine, column: startColumn })
    meaningful = false
  }
  for (let i = 0; i < script.length; i++) {
    const ch = script[i] as string
    const next = script[i + 1]
    if (comment === '--') {
      if (ch === '\n') comment = undefined
    } else if (comment === '/*') {
      if (ch === '*' && next === '/') {
        comment = undefined
        i++
        column++
      }
    } else if (quote) {
      if (ch === quote) quote = undefined
    } else if (ch === '-' && next === '-') {
      comment = '--'
    } else if (ch === '/' && next === '*') {
      comment = '/*'
      i++
      column++
    } else if (ch === "'" || ch === '"' || ch === '`') {
      quote = ch
      meaningful = true
    } else if (ch === ';') {
      flush(i)
      start = i + 1
      startLine = line
      startColumn = column + 1
    } else if (!/\s/.test(ch)) {
      meaningful = true
    }
    if (ch === '\n') {
      line++
      column = 1
    } else {
      column++
    }
  }
  flush(script.length)
  return slices
}

class FirstError extends Error {
  constructor(readonly error: ParseError) {
    super(error.message)
  }
}

/** Parses one statement, stopping at its first error (a cascade can take seconds and repeat it). */
export async function analyzeStatement(
  name: GrammarName,
  slice: StatementSlice,
  collectFunctions: boolean,
): Promise<StatementAnalysis> {
  const { grammar: parser, module } = await grammar(name)
  const at = (line: number, column: number) => ({
    line: slice.line + line - 1,
    column: line === 1 ? slice.column + column - 1 : column,
  })
  try {
    const antlr = parser.createParser(slice.text, (error) => {
      throw new FirstError(error)
    })
    const tree = antlr.program()
    const functions: FunctionCall[] = []
    const backquoted: SqlSyntaxError[] = []
    if (collectFunctions && name === 'trino') {
      const listener = new module.TrinoSqlListener()
      listener.enterFunctionCall = (ctx) => {
        const text = ctx.functionName().getText()
        functions.push({
          name: text.replaceAll('"', '').toLowerCase(),
          ...at(ctx.start?.line ?? 1, (ctx.start?.column ?? 0) + 1),
        })
      }
      // Trino's grammar tokenizes `name` but Trino rejects it ("backquoted identifiers are not supported").
      listener.enterBackQuotedIdentifier = (ctx) => {
        backquoted.push({
          ...at(ctx.start?.line ?? 1, (ctx.start?.column ?? 0) + 1),
          message: `back-quoted identifier ${ctx.getText()} is not Trino SQL; use double quotes`,
        })
      }
      parser.listen(listener, tree)
    }
    return { functions, backquoted }
  } catch (error) {
    if (!(error instanceof FirstError)) throw error
    return {
      error: { ...at(error.error.startLine, error.error.startColumn), message: error.error.message },
      functions: [],
      backquoted: [],
    }
  }
}

/** Analyzes every statement of a script; an empty script is an error (engines reject it too). */
export async function analyzeScript(
  name: GrammarName,
  script: string,
  collectFunctions = false,
): Promise<StatementAnalysis[]> {
  const slices = splitStatements(script)
  if (slices.length === 0)
    return [{ error: { line: 1, column: 1, message: 'no SQL statement' }, functions: [], backquoted: [] }]
  const results: StatementAnalysis[] = []
  for (const slice of slices) results.push(await analyzeStatement(name, slice, collectFunctions))
  return results
}

/** Syntax-checks a script with one grammar. */
export async function validateWithGrammar(name: GrammarName, script: string): Promise<SqlValidation> {
  const errors = (await analyzeScript(name, script)).flatMap((s) => (s.error ? [s.error] : []))
  return { ok: errors.length === 0, errors }
}
