import type { Row, SqlValue } from '../../core/engines/engine.js'
import { oneLine, UserError } from '../../core/errors.js'
import type { SqlDialect } from '../../core/sql/dialect.js'
import { compileModel, sqlText } from './compile.js'
import { type ContractColumn, contractColumns, FAMILY_SCALAR } from './contract.js'
import type { TestResult } from './data-tests.js'
import type { Model, Relation } from './define-model.js'
import { Target } from './target.js'

/** Unexpected and missing rows shown per failing unit test. */
const ROWS_SHOWN = 10

/**
 * Runs models' unit tests on an in-memory DuckDB: each input becomes a table of the given rows
 * (typed by the input's columns, absent columns NULL), the model's query runs over them, and its
 * rows are compared with the expected ones as a multiset on the columns the expectation names.
 * Models use dialect helpers, so their DuckDB SQL is the same logic as their Athena SQL.
 */
export async function runUnitTests(
  models: readonly Model[],
  onResult?: (result: TestResult) => void,
): Promise<TestResult[]> {
  const withTests = models.filter((m) => m.unitTests.length > 0)
  if (withTests.length === 0) return []
  // Loaded here, not at the top: models import the framework, and a Lambda bundle of them (the
  // Athena build) must not carry DuckDB's native binding, which it could not load.
  const { DuckDbEngine } = await import('../../core/engines/duckdb-engine.js')
  const engine = await DuckDbEngine.open({ path: ':memory:' })
  const target = new Target(engine)
  const results: TestResult[] = []
  let n = 0
  try {
    for (const model of withTests) {
      for (const unit of model.unitTests) {
        const result = await runOne(target, model, unit, `unit_${++n}`)
        results.push(result)
        onResult?.(result)
      }
    }
  } finally {
    await engine.close()
  }
  return results
}

async function runOne(target: Target, model: Model, unit: Model['unitTests'][number], schema: string) {
  const started = performance.now()
  const d = target.dialect
  const base = {
    model: model.name,
    name: unit.name,
    kind: 'unit' as const,
    severity: 'error' as const,
    bytesScanned: 0,
  }
  const seconds = () => (performance.now() - started) / 1000
  try {
    await target.run(d.createSchema(schema), `unit test ${unit.name}`)
    for (const [alias, relation] of Object.entries(model.inputs)) {
      const rows = (unit.given[alias] ?? []) as readonly Record<string, unknown>[]
      const table = { schema, name: alias }
      await target.run(
        d.createTableAs(table, fixtureSelect(d, relation, rows)),
        `unit test ${unit.name} input ${alias}`,
      )
    }
    const select = compileModel(model, d, (_relation, alias) => ({ schema, name: alias }))
    const actual = (await target.run(select, `model ${model.name} unit test ${unit.name}`)).rows
    const outputColumns = contractColumns(`model ${model.name}`, model.columns)
    const compared = [...new Set(unit.expect.flatMap((row) => Object.keys(row)))]
    for (const name of compared) {
      if (!outputColumns.some((c) => c.name === name)) {
        throw new UserError(`expected rows name ${name}, which is not a column of ${model.name}`)
      }
    }
    const key = (row: Readonly<Record<string, unknown>>) =>
      JSON.stringify(
        compared.map((c) =>
          canonical(
            row[c],
            outputColumns.find((o) => o.name === c),
          ),
        ),
      )
    const { missing, unexpected } = multisetDiff(unit.expect.map(key), actual.map(key))
    const passed = missing.length === 0 && unexpected.length === 0
    const show = (keys: readonly string[]) =>
      keys
        .slice(0, ROWS_SHOWN)
        .map((k) => Object.fromEntries(compared.map((c, i) => [c, JSON.parse(k)[i]])) as Row)
    return {
      ...base,
      status: passed ? ('pass' as const) : ('fail' as const),
      failures: missing.length + unexpected.length,
      rows: [
        ...show(missing).map((r) => ({ ...r, revops_diff: 'missing' })),
        ...show(unexpected).map((r) => ({ ...r, revops_diff: 'unexpected' })),
      ],
      message: passed
        ? undefined
        : `${missing.length} expected row${missing.length === 1 ? '' : 's'} missing, ${unexpected.length} unexpected`,
      seconds: seconds(),
    }
  } catch (error) {
    return {
      ...base,
      status: 'error' as const,
      failures: 0,
      rows: [],
      message: oneLine(error),
      seconds: seconds(),
    }
  }
}

/** A SELECT of typed literal rows with exactly the relation's columns (an empty one when there are none). */
export function fixtureSelect(
  dialect: SqlDialect,
  relation: Relation,
  rows: readonly Record<string, unknown>[],
): string {
  const columns = contractColumns(relation.id, relation.columns)
  for (const row of rows) {
    for (const name of Object.keys(row)) {
      if (!columns.some((c) => c.name === name))
        throw new UserError(`fixture rows name ${name}, which is not a column of ${relation.id}`)
    }
  }
  const select = (row: Readonly<Record<string, unknown>> | undefined) =>
    `SELECT ${columns.map((c) => `${typedLiteral(dialect, c, row?.[c.name])} AS ${dialect.quoteIdentifier(c.name)}`).join(', ')}`
  return rows.length === 0 ? `${select(undefined)} WHERE 1 = 0` : rows.map(select).join('\nUNION ALL\n')
}

function typedLiteral(dialect: SqlDialect, column: ContractColumn, value: unknown): string {
  const type = dialect.typeName(FAMILY_SCALAR[column.family])
  if (value === undefined || value === null) return `CAST(NULL AS ${type})`
  if (column.family === 'date') return sqlText(dialect.dateLiteral(String(value)), dialect)
  if (column.family === 'timestamp') return sqlText(dialect.timestampLiteral(String(value)), dialect)
  if (typeof value === 'object') throw new UserError(`fixture value for ${column.name} must be a scalar`)
  return `CAST(${dialect.literal(value as SqlValue)} AS ${type})`
}

/** One comparable spelling per value: instants as ISO UTC, numbers rounded past float noise. */
function canonical(value: unknown, column: ContractColumn | undefined): unknown {
  if (value === null || value === undefined) return null
  if (column?.family === 'timestamp' && typeof value === 'string') return new Date(value).toISOString()
  if (typeof value === 'number') return Number(value.toPrecision(12))
  if (typeof value === 'bigint') return Number(value)
  return value
}

function multisetDiff(expected: readonly string[], actual: readonly string[]) {
  const remaining = new Map<string, number>()
  for (const key of actual) remaining.set(key, (remaining.get(key) ?? 0) + 1)
  const missing: string[] = []
  for (const key of expected) {
    const left = remaining.get(key) ?? 0
    if (left > 0) remaining.set(key, left - 1)
    else missing.push(key)
  }
  const unexpected = [...remaining].flatMap(([key, count]) => Array.from({ length: count }, () => key))
  return { missing, unexpected }
}
