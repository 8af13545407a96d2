import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { ATHENA_FUNCTIONS } from '../../../core/sql/athena/athena-functions.js'
import { validateAthenaSql } from '../../../core/sql/athena/athena-sql-check.js'
import { splitStatements } from '../../../core/sql/sql-grammar.js'
import { trinoFunctionCalls, validateTrinoSql } from '../../../core/sql/trino/trino-grammar.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))

describe('validateTrinoSql', () => {
  it('accepts Trino SQL', async () => {
    expect(
      await validateTrinoSql(
        `SELECT date_trunc('month', d) AS m, count_if(won) AS n FROM "marts"."fct_deals" WHERE d >= DATE '2024-01-01' GROUP BY 1 ORDER BY 1 NULLS LAST`,
      ),
    ).toEqual({ ok: true, errors: [] })
  })

  it('fails a statement that does not parse, at its line and column', async () => {
    const result = await validateTrinoSql('SELEC * FROM t')
    expect(result.ok).toBe(false)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatchObject({ line: 1, column: 1 })
    expect(result.errors[0]?.message).toMatch(/SELEC/)
  })

  it.each([
    ['a :: cast', 'SELECT 1::int'],
    ['an unquoted interval', "SELECT DATE '2024-01-01' + INTERVAL 1 MONTH"],
    ['QUALIFY', 'SELECT x FROM t QUALIFY row_number() OVER (ORDER BY x) = 1'],
    ['SELECT * EXCLUDE', 'SELECT * EXCLUDE (a) FROM t'],
    ['an unfinished statement', 'SELECT a, FROM t WHERE'],
    ['an unbalanced parenthesis', 'SELECT (1 + 2 FROM t'],
  ])('rejects %s (DuckDB accepts or it is broken)', async (_, text) => {
    const result = await validateTrinoSql(text)
    expect(result.ok).toBe(false)
    expect(result.errors).toHaveLength(1)
  })

  it('reports only the first error of a cascade', async () => {
    const text = `SELECT ${Array.from({ length: 40 }, (_, i) => `c${i} AS a${i} b${i}`).join(', ')} FROM t`
    const result = await validateTrinoSql(text)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatchObject({ line: 1, column: 'SELECT c0 AS a0 '.length + 1 })
  })

  it('checks each statement of a script and places errors in the script', async () => {
    const script = 'SELECT 1;\nSELECT a,\n  FROM t;\nSELECT 2; SELEC 3;\n-- trailing comment'
    const result = await validateTrinoSql(script)
    expect(result.ok).toBe(false)
    expect(result.errors).toEqual([
      expect.objectContaining({ line: 3, column: 3 }),
      expect.objectContaining({ line: 4, column: 11 }),
    ])
  })

  it('fails an empty script', async () => {
    expect(await validateTrinoSql(' -- nothing here\n')).toEqual({
      ok: false,
      errors: [{ line: 1, column: 1, message: 'no SQL statement' }],
    })
  })
})

describe('splitStatements', () => {
  it('splits at top-level semicolons only, with each position', () => {
    const script = `SELECT ';' AS a -- ; in a comment\n, "x;y" AS b /* ; */ FROM t;\n  SELECT 2;;`
    expect(splitStatements(script)).toEqual([
      { text: `SELECT ';' AS a -- ; in a comment\n, "x;y" AS b /* ; */ FROM t`, line: 1, column: 1 },
      { text: '\n  SELECT 2', line: 2, column: 29 },
    ])
  })

  it('keeps a doubled quote inside a string', () => {
    expect(splitStatements(`SELECT 'it''s; fine'; SELECT 2`).map((s) => s.text)).toEqual([
      `SELECT 'it''s; fine'`,
      ' SELECT 2',
    ])
  })
})

describe('trinoFunctionCalls', () => {
  it('lists calls in lower case without quotes, with positions', async () => {
    const calls = await trinoFunctionCalls(
      `SELECT "DATE_ADD"('day', 1, d),\n  Sum(x) FILTER (WHERE x > 0), transform(a, e -> upper(e)) FROM t`,
    )
    expect(calls.map((c) => c.name)).toEqual(['date_add', 'sum', 'transform', 'upper'])
    expect(calls[1]).toMatchObject({ line: 2, column: 3 })
  })
})

describe('validateAthenaSql', () => {
  it('names each function Athena does not have, where it is called', async () => {
    const result = await validateAthenaSql(
      `SELECT median(x), json_extract_string(j, '$.a'), count(*)\nFROM t`,
    )
    expect(result.ok).toBe(false)
    expect(result.errors).toEqual([
      expect.objectContaining({ line: 1, column: 8, message: expect.stringMatching(/function median/) }),
      expect.objectContaining({ line: 1, column: 19, message: expect.stringMatching(/json_extract_string/) }),
    ])
  })

  it('rejects back-quoted identifiers outside Hive DDL (Trino does)', async () => {
    const result = await validateAthenaSql('SELECT `amount` FROM t')
    expect(result.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/back-quoted/) }),
    ])
  })

  it('checks Hive DDL with the Hive grammar, leading comments and all', async () => {
    expect(await validateAthenaSql('-- cleanup\nDROP TABLE IF EXISTS `marts`.`fct_deals`')).toEqual({
      ok: true,
      errors: [],
    })
    expect((await validateAthenaSql('DROP TABLE IF EXISTS "marts"."fct_deals"')).ok).toBe(false)
  })

  it('lists only lower-case names', () => {
    for (const name of ATHENA_FUNCTIONS) expect(name).toMatch(/^[a-z][a-z0-9_]*$/)
  })
})

/** Files and packages reachable from an entry that would pull the SQL parser into a bundle. */
async function parserReach(entry: { file: string } | { contents: string }): Promise<string[]> {
  const result = await build({
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.contents, resolveDir: root, sourcefile: 'entry.ts', loader: 'ts' } }),
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    packages: 'external',
    logLevel: 'silent',
  })
  const reach: string[] = []
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    if (file.endsWith('core/sql/sql-grammar.ts')) reach.push(file)
    for (const imported of input.imports)
      if (imported.path.startsWith('dt-sql-parser')) reach.push(`${file} → ${imported.path}`)
  }
  return reach
}

describe('the parser stays out of Lambda bundles', () => {
  const handlersDir = `${root}handlers`
  const handlers = existsSync(handlersDir)
    ? readdirSync(handlersDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(`${handlersDir}/${d.name}/handler.ts`))
        .map((d) => `handlers/${d.name}/handler.ts`)
    : []

  it('is found by the check when something imports it', async () => {
    expect(await parserReach({ contents: `import './core/sql/trino/trino-grammar.js'` })).not.toEqual([])
    expect(await parserReach({ contents: `import './core/sql/athena/athena-sql-check.js'` })).not.toEqual([])
  })

  it.each(['core/sql/dialects.ts', 'core/sql/kysely.ts', 'core/engines/duckdb-engine.ts', ...handlers])(
    'is not reachable from %s',
    async (file) => {
      expect(await parserReach({ file })).toEqual([])
    },
  )
})
