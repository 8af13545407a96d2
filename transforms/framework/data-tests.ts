import {
  type AliasableExpression,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SqlBool,
  sql,
} from 'kysely'
import type { Row } from '../../core/engines/engine.js'
import { oneLine, UserError } from '../../core/errors.js'
import type { SqlDialect, TableRef } from '../../core/sql/dialect.js'
import { compileSelect } from './compile.js'
import { type ContractColumn, contractColumns } from './contract.js'
import type { Model, Relation } from './define-model.js'
import { type ColumnName, checkName, type RowOf } from './relation.js'
import type { Target } from './target.js'

export type Severity = 'error' | 'warn'
export type TestKind =
  | 'unique'
  | 'not_null'
  | 'accepted_values'
  | 'relationships'
  | 'expression'
  | 'row_count'
  | 'reconciliation'

export interface TestOptions {
  /** `error` (default) stops the model's promotion and its downstream models; `warn` only reports. */
  readonly severity?: Severity
}

/** The tables a test query sees: the model under test and, for some kinds, one other relation. */
export interface TestTables {
  readonly self: Record<string, unknown>
  readonly other: Record<string, unknown>
}
export type TestDb = Kysely<TestTables>

/**
 * A data test: a query over the built model whose rows are the failures. It passes when it
 * returns no rows. Every kind compiles through Kysely and the dialect, so the same test runs on
 * DuckDB and Athena and appears in `revops compile`.
 */
export interface DataTest {
  readonly name: string
  readonly kind: TestKind
  readonly severity: Severity
  /** The other relation the test reads as `other` (relationships, row count, reconciliation). */
  readonly other: Relation | undefined
  failing(db: TestDb, dialect: SqlDialect): AliasableExpression<unknown>
}

/** Failing rows shown per test; the count covers all of them. */
export const FAILING_ROWS_SHOWN = 10
/** The column the compiled test adds: how many rows fail in total. */
export const FAILURES_COLUMN = 'revops_failures'

type SelfBuilder<Row> = ExpressionBuilder<{ self: Row }, 'self'>
type OtherBuilder<Row> = ExpressionBuilder<{ other: Row }, 'other'>

/** Builds a model's tests; column names are checked against the model's columns by `tsc`. */
export interface TestBuilder<Row> {
  /** No two rows share these columns (rows with a NULL in them are not compared). */
  unique(columns: ColumnName<Row> | readonly ColumnName<Row>[], options?: TestOptions): DataTest
  notNull(column: ColumnName<Row>, options?: TestOptions): DataTest
  /** Every non-NULL value is one of `values`. */
  acceptedValues<C extends ColumnName<Row>>(
    column: C,
    values: readonly NonNullable<Row[C]>[],
    options?: TestOptions,
  ): DataTest
  /** Every non-NULL value of `column` exists in `to.toColumn` (a foreign key). */
  relationships<R extends Relation>(
    column: ColumnName<Row>,
    to: R,
    toColumn: ColumnName<RowOf<R>>,
    options?: TestOptions,
  ): DataTest
  /** A predicate that must hold (be TRUE, not NULL) for every row. */
  expression(
    name: string,
    predicate: (eb: SelfBuilder<Row>, dialect: SqlDialect) => Expression<SqlBool | null>,
    options?: TestOptions,
  ): DataTest
  /** The row count lies within bounds, or equals another relation's. */
  rowCount(bounds: { readonly min?: number; readonly max?: number }, options?: TestOptions): DataTest
  rowCount(bounds: { readonly equalTo: Relation }, options?: TestOptions): DataTest
  /** Two aggregates agree within an absolute tolerance, e.g. billed revenue in two models. */
  reconciles<R extends Relation>(
    name: string,
    spec: {
      readonly value: (eb: SelfBuilder<Row>) => Expression<unknown>
      readonly against: R
      readonly againstValue: (eb: OtherBuilder<RowOf<R>>) => Expression<unknown>
      /** Largest accepted absolute difference; default 0. */
      readonly tolerance?: number
    },
    options?: TestOptions,
  ): DataTest
}

export function testBuilder<Row>(where: string, columns: readonly string[]): TestBuilder<Row> {
  const column = (name: string) => {
    if (!columns.includes(name))
      throw new UserError(`${where}: test column ${name} is not one of its columns`)
    return name
  }
  const test = (
    name: string,
    kind: TestKind,
    options: TestOptions | undefined,
    failing: DataTest['failing'],
    other?: Relation,
  ): DataTest =>
    Object.freeze({
      name: checkName(`${where}: test name`, name),
      kind,
      severity: options?.severity ?? 'error',
      other,
      failing,
    })
  const count = (db: TestDb, table: 'self' | 'other') =>
    db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('row_count'))

  return {
    unique: (cols, options) => {
      const keys = (typeof cols === 'string' ? [cols] : [...cols]).map(column)
      return test(`unique_${keys.join('__')}`, 'unique', options, (db) =>
        db
          .selectFrom('self')
          .select(keys)
          .select((eb) => eb.fn.countAll<number>().as('duplicates'))
          .where((eb) => eb.and(keys.map((k) => eb(k, 'is not', null))))
          .groupBy(keys)
          .having((eb) => eb.fn.countAll(), '>', 1),
      )
    },
    notNull: (col, options) =>
      test(`not_null_${column(col)}`, 'not_null', options, (db) =>
        db.selectFrom('self').selectAll().where(col, 'is', null),
      ),
    acceptedValues: (col, values, options) => {
      if (values.length === 0) throw new UserError(`${where}: acceptedValues of ${col} needs values`)
      return test(`accepted_values_${column(col)}`, 'accepted_values', options, (db) =>
        db
          .selectFrom('self')
          .select(col)
          .select((eb) => eb.fn.countAll<number>().as('rows'))
          .where(col, 'not in', values as never)
          .groupBy(col),
      )
    },
    relationships: (col, to, toColumn, options) =>
      test(
        `relationships_${column(col)}__${to.id.replace(/\./g, '_')}`,
        'relationships',
        options,
        (db) =>
          db
            .selectFrom('self')
            .leftJoin('other', `other.${toColumn}`, `self.${col}`)
            .selectAll('self')
            .where(`self.${col}`, 'is not', null)
            .where(`other.${toColumn}`, 'is', null),
        to,
      ),
    expression: (name, predicate, options) =>
      test(name, 'expression', options, (db, dialect) =>
        db
          .selectFrom('self')
          .selectAll()
          .where((eb) => sql<boolean>`NOT coalesce(${predicate(eb as never, dialect)}, FALSE)`),
      ),
    rowCount: ((bounds: { min?: number; max?: number; equalTo?: Relation }, options?: TestOptions) => {
      const other = bounds.equalTo
      if (other !== undefined) {
        return test(
          `row_count_equal_${other.id.replace(/\./g, '_')}`,
          'row_count',
          options,
          (db) =>
            db
              .selectFrom(count(db, 'self').as('s'))
              .crossJoin(count(db, 'other').as('o'))
              .select(['s.row_count', 'o.row_count as expected_row_count'])
              .whereRef('s.row_count', '<>', 'o.row_count'),
          other,
        )
      }
      const { min, max } = bounds
      if (min === undefined && max === undefined)
        throw new UserError(`${where}: rowCount needs min, max or equalTo`)
      return test('row_count', 'row_count', options, (db) =>
        db
          .selectFrom(count(db, 'self').as('s'))
          .selectAll()
          .where((eb) =>
            eb.or([
              ...(min === undefined ? [] : [eb('s.row_count', '<', min)]),
              ...(max === undefined ? [] : [eb('s.row_count', '>', max)]),
            ]),
          ),
      )
    }) as TestBuilder<Row>['rowCount'],
    reconciles: (name, spec, options) => {
      const tolerance = spec.tolerance ?? 0
      if (!(tolerance >= 0)) throw new UserError(`${where}: reconciliation ${name} needs a tolerance >= 0`)
      return test(
        name,
        'reconciliation',
        options,
        (db, dialect) => {
          const value = (e: Expression<unknown>) => dialect.cast<number | null>(e, 'double').as('value')
          return db
            .selectFrom(
              db
                .selectFrom('self')
                .select((eb) => value(spec.value(eb as never)))
                .as('s'),
            )
            .crossJoin(
              db
                .selectFrom('other')
                .select((eb) => value(spec.againstValue(eb as never)))
                .as('o'),
            )
            .select(['s.value as value', 'o.value as expected'])
            .where(
              sql<boolean>`abs(coalesce(${sql.ref('s.value')}, 0) - coalesce(${sql.ref('o.value')}, 0)) > ${sql.raw(dialect.literal(tolerance))}`,
            )
        },
        spec.against,
      )
    },
  }
}

/**
 * The contract's promise that non-nullable columns hold no NULL, checked in one scan of the
 * table (a `not_null` test per column would scan it once each on Athena).
 */
export function contractNotNullTest(columns: readonly ContractColumn[]): DataTest | undefined {
  const required = columns.filter((c) => !c.nullable).map((c) => c.name)
  if (required.length === 0) return undefined
  return Object.freeze({
    name: 'contract_not_null',
    kind: 'not_null',
    severity: 'error',
    other: undefined,
    failing: (db: TestDb) =>
      db
        .selectFrom('self')
        .selectAll()
        .where((eb) => eb.or(required.map((c) => eb(c, 'is', null)))),
  })
}

/** The statement a test runs: its first failing rows, each carrying the total count of failures. */
export function compileTest(
  test: DataTest,
  dialect: SqlDialect,
  tables: { readonly self: TableRef; readonly other?: TableRef },
  where: string,
): string {
  return compileSelect<TestTables>(
    dialect,
    { self: tables.self, ...(tables.other ? { other: tables.other } : {}) },
    (db) =>
      db
        .selectFrom(test.failing(db, dialect).as('failing'))
        .selectAll('failing')
        .select(sql<number>`count(*) OVER ()`.as(FAILURES_COLUMN))
        .limit(FAILING_ROWS_SHOWN),
    `${where} test ${test.name}`,
  )
}

/** Splits a test's result into the failure count and the rows shown. */
export function readFailures(rows: readonly Row[]): { failures: number; rows: Row[] } {
  const failures = Number(rows[0]?.[FAILURES_COLUMN] ?? 0)
  return {
    failures,
    rows: rows.map(({ [FAILURES_COLUMN]: _count, ...rest }) => rest),
  }
}

export type TestStatus = 'pass' | 'fail' | 'warn' | 'error' | 'skipped'

/** The outcome of one check: a data test, a unit test or a source freshness check. */
export interface TestResult {
  /** The model (or source id) the check belongs to. */
  readonly model: string
  readonly name: string
  readonly kind: TestKind | 'unit' | 'freshness'
  readonly severity: Severity
  readonly status: TestStatus
  /** How many rows fail (all of them, not only those shown). */
  readonly failures: number
  /** The first failing rows (at most FAILING_ROWS_SHOWN). */
  readonly rows: readonly Row[]
  readonly message: string | undefined
  readonly seconds: number
  readonly bytesScanned: number
}

/** Runs a data test; failures of `warn` tests report `warn`, errors running it report `error`. */
export async function runDataTest(
  target: Target,
  model: string,
  test: DataTest,
  tables: { readonly self: TableRef; readonly other?: TableRef },
): Promise<TestResult> {
  const started = performance.now()
  const base = { model, name: test.name, kind: test.kind, severity: test.severity }
  try {
    const statement = compileTest(test, target.dialect, tables, `model ${model}`)
    const result = await target.run(statement, `model ${model} test ${test.name}`)
    const { failures, rows } = readFailures(result.rows)
    const status: TestStatus = failures === 0 ? 'pass' : test.severity === 'warn' ? 'warn' : 'fail'
    return {
      ...base,
      status,
      failures,
      rows,
      message: failures === 0 ? undefined : `${failures} failing row${failures === 1 ? '' : 's'}`,
      seconds: (performance.now() - started) / 1000,
      bytesScanned: result.stats.bytesScanned ?? 0,
    }
  } catch (error) {
    return {
      ...base,
      status: 'error',
      failures: 0,
      rows: [],
      message: oneLine(error),
      seconds: (performance.now() - started) / 1000,
      bytesScanned: 0,
    }
  }
}

/** A test that could not run because something it reads is missing. */
export function skippedTest(model: string, test: DataTest, message: string): TestResult {
  return {
    model,
    name: test.name,
    kind: test.kind,
    severity: test.severity,
    status: 'skipped',
    failures: 0,
    rows: [],
    message,
    seconds: 0,
    bytesScanned: 0,
  }
}

/** True when the result stops promotion and downstream models. */
export function isBlocking(result: TestResult): boolean {
  return result.severity === 'error' && (result.status === 'fail' || result.status === 'error')
}

/** Every test of a model: the contract's not-null check, then the declared ones. */
export function testsOf(model: Model): DataTest[] {
  const implicit = contractNotNullTest(contractColumns(`model ${model.name}`, model.columns))
  return [...(implicit ? [implicit] : []), ...model.tests]
}
