import type { Kysely, RawBuilder, SelectQueryNode } from 'kysely'
import { z } from 'zod'
import { LAYERS, type Layer } from '../../core/config/names.js'
import { UserError } from '../../core/errors.js'
import type { SqlDialect } from '../../core/sql/dialect.js'
import { type ContractColumn, contractColumns } from './contract.js'
import { type DataTest, type TestBuilder, testBuilder } from './data-tests.js'
import type { Source } from './define-source.js'
import { type ColumnName, type Columns, checkName, type RelationBase, type RowOf } from './relation.js'

/** What a model reads from: other models and raw sources, keyed by the name the query uses. */
export type Inputs = Readonly<Record<string, Relation>>
export type Relation = Model | Source

/** The Kysely database a model's query sees: one table per input, typed by that input's columns. */
export type InputDb<I extends Inputs> = { [K in keyof I & string]: RowOf<I[K]> }

/** How a model is stored. Column names are checked against the model's own columns by `tsc`. */
export type Materialization<Row> =
  | 'view'
  | 'table'
  | 'ephemeral'
  | TableMaterialization<Row>
  | MergeMaterialization<Row>
  | DeleteInsertMaterialization<Row>

export interface TableMaterialization<Row> {
  readonly kind: 'table'
  /** Iceberg identity partitions on Athena (writes are batched to 100 partitions); DuckDB ignores them. */
  readonly partitionedBy?: readonly ColumnName<Row>[]
}

/** Incremental: new rows are merged into the previous build by a unique key (update or insert). */
export interface MergeMaterialization<Row> {
  readonly kind: 'incremental'
  readonly strategy: 'merge'
  readonly uniqueKey: readonly ColumnName<Row>[]
  /** Among new rows with the same key, the one with the largest value wins (Athena rejects duplicate matches). */
  readonly latestBy?: ColumnName<Row>
  readonly partitionedBy?: readonly ColumnName<Row>[]
}

/** Incremental: the trailing time range (from the previous build's latest day minus `lookbackDays`) is deleted and rebuilt. */
export interface DeleteInsertMaterialization<Row> {
  readonly kind: 'incremental'
  readonly strategy: 'delete+insert'
  /** A DATE or TIMESTAMP column. */
  readonly timeColumn: ColumnName<Row>
  /** Days before the previous build's latest value that are rebuilt too (late data). Default 0. */
  readonly lookbackDays?: number
  readonly partitionedBy?: readonly ColumnName<Row>[]
}

/** The normalised form the framework works with. */
export type MaterializationConfig =
  | { readonly kind: 'view' }
  | { readonly kind: 'ephemeral' }
  | { readonly kind: 'table'; readonly partitionedBy: readonly string[] }
  | {
      readonly kind: 'incremental'
      readonly strategy: 'merge'
      readonly uniqueKey: readonly string[]
      readonly latestBy: string | undefined
      readonly partitionedBy: readonly string[]
    }
  | {
      readonly kind: 'incremental'
      readonly strategy: 'delete+insert'
      readonly timeColumn: string
      readonly lookbackDays: number
      readonly partitionedBy: readonly string[]
    }

/** Passed to an incremental model's query on incremental runs, so it can read only what is new. */
export interface IncrementalContext<Row> {
  /**
   * `(SELECT max(column) FROM <previous build>)`, e.g. to keep rows updated after the last one
   * seen. The previous build is never empty here: an empty one gives a full build instead.
   */
  max<C extends ColumnName<Row>>(column: C): RawBuilder<Row[C] | null>
  /** delete+insert: the first DATE being rebuilt (rows before it are kept); undefined for merge. */
  readonly since: RawBuilder<string> | undefined
}

export interface QueryContext<I extends Inputs, Row> {
  /** Compile-only Kysely over the inputs; table names are the keys of `inputs`. */
  readonly db: Kysely<InputDb<I>>
  /** Every engine-specific spelling (dates, JSON, division) goes through here. */
  readonly dialect: SqlDialect
  /** Set on incremental runs of an incremental model; undefined on full builds. */
  readonly incremental: IncrementalContext<Row> | undefined
}

/**
 * A SELECT whose result rows fit the model's columns. Kysely's `SelectQueryBuilder` is one; a
 * missing or mistyped output column fails `tsc` here, an extra one fails the contract check.
 */
export interface ModelQuery<Row> {
  readonly expressionType: Row | undefined
  readonly isSelectQueryBuilder: true
  toOperationNode(): SelectQueryNode
}

/** Rows for a unit test: any subset of columns (the rest are NULL), typed by the relation. */
export type FixtureRows<Row> = readonly Partial<Row>[]

export interface UnitTest<I extends Inputs, Row> {
  readonly name: string
  /** Rows of each input; an input without rows is empty. */
  readonly given: { readonly [K in keyof I]?: FixtureRows<RowOf<I[K]>> }
  /** The expected output rows, in any order; only the columns named here are compared. */
  readonly expect: FixtureRows<Row>
}

export interface ModelDefinition<I extends Inputs, S extends Columns> {
  readonly name: string
  readonly layer: Layer
  readonly description?: string
  readonly materialized: Materialization<z.output<S>>
  readonly inputs: I
  /** The output contract: row type for downstream models, checked against the built table. */
  readonly columns: S
  readonly query: (context: QueryContext<I, z.output<S>>) => ModelQuery<z.output<S>>
  readonly tests?: (t: TestBuilder<z.output<S>>) => readonly DataTest[]
  readonly unitTests?: readonly UnitTest<I, z.output<S>>[]
}

/** A model as the framework sees it (built by `defineModel`). */
export interface Model<I extends Inputs = Inputs, S extends Columns = Columns> extends RelationBase<S> {
  readonly kind: 'model'
  readonly name: string
  readonly layer: Layer
  readonly materialized: MaterializationConfig
  readonly inputs: I
  readonly tests: readonly DataTest[]
  readonly unitTests: readonly UnitTest<I, z.output<S>>[]
  /**
   * The query with its types erased: Kysely's types are invariant in the database, so a typed
   * query would make `Model<{ inv: … }>` unassignable to `Model`. Typing happens in `defineModel`.
   */
  readonly query: (context: ErasedQueryContext) => ModelQuery<unknown>
}

/** The framework's view of a query context: any tables, any columns. */
export type ErasedQueryContext = QueryContext<Inputs, Record<string, unknown>>

/**
 * Defines a model. Upstream models are referenced by import in `inputs`, so the DAG comes from
 * code and a renamed upstream column fails `tsc` in every query that reads it:
 *
 * ```ts
 * export const fctInvoices = defineModel({
 *   name: 'fct_invoices', layer: 'marts', materialized: 'table',
 *   inputs: { inv: stgInvoices, cust: stgCustomers },
 *   columns: z.object({ invoice_id: z.string(), segment: z.string().nullable() }),
 *   query: ({ db }) => db.selectFrom('inv')
 *     .leftJoin('cust', 'cust.customer_id', 'inv.customer_id')
 *     .select(['inv.invoice_id', 'cust.segment']),
 * })
 * ```
 */
export function defineModel<const I extends Inputs, S extends Columns>(
  definition: ModelDefinition<I, S>,
): Model<I, S> {
  const name = checkName('model name', definition.name)
  const where = `model ${name}`
  if (!LAYERS.includes(definition.layer)) {
    throw new UserError(`${where}: layer must be one of ${LAYERS.join(', ')}, got ${definition.layer}`)
  }
  if (!(definition.columns instanceof z.ZodObject))
    throw new UserError(`${where}: columns must be a z.object`)
  const contract = contractColumns(where, definition.columns)
  const columns = contract.map((c) => c.name)
  for (const alias of Object.keys(definition.inputs)) checkName(`${where}: input`, alias)
  const materialized = normalise(
    where,
    definition.materialized as Materialization<Record<string, unknown>>,
    contract,
  )
  const tests = definition.tests?.(testBuilder<z.output<S>>(where, columns)) ?? []
  const testNames = new Set<string>()
  for (const test of tests) {
    if (testNames.has(test.name)) throw new UserError(`${where}: two tests are named ${test.name}`)
    testNames.add(test.name)
  }
  if (materialized.kind === 'ephemeral' && tests.length > 0) {
    throw new UserError(`${where}: an ephemeral model has no table to test; test the models that read it`)
  }
  const unitNames = new Set<string>()
  for (const unit of definition.unitTests ?? []) {
    checkName(`${where}: unit test`, unit.name)
    if (unitNames.has(unit.name)) throw new UserError(`${where}: two unit tests are named ${unit.name}`)
    unitNames.add(unit.name)
    for (const alias of Object.keys(unit.given)) {
      if (!(alias in definition.inputs)) {
        throw new UserError(`${where}: unit test ${unit.name} gives rows for ${alias}, which is not an input`)
      }
    }
  }
  const query = definition.query as unknown as Model['query']
  return Object.freeze({
    kind: 'model',
    id: name,
    name,
    layer: definition.layer,
    description: definition.description ?? '',
    materialized,
    inputs: Object.freeze({ ...definition.inputs }),
    columns: definition.columns,
    tests: Object.freeze([...tests]),
    unitTests: Object.freeze([...(definition.unitTests ?? [])]),
    query,
  })
}

function normalise(
  where: string,
  m: Materialization<Record<string, unknown>>,
  contract: readonly ContractColumn[],
): MaterializationConfig {
  const known = (what: string, names: readonly string[]) => {
    for (const n of names) {
      if (!contract.some((c) => c.name === n))
        throw new UserError(`${where}: ${what} ${n} is not one of its columns`)
    }
    return [...names]
  }
  if (m === 'view' || m === 'ephemeral') return { kind: m }
  if (m === 'table') return { kind: 'table', partitionedBy: [] }
  const partitionedBy = known('partition column', m.partitionedBy ?? [])
  if (m.kind === 'table') return { kind: 'table', partitionedBy }
  if (m.strategy === 'merge') {
    if (m.uniqueKey.length === 0) throw new UserError(`${where}: a merge model needs a uniqueKey`)
    return {
      kind: 'incremental',
      strategy: 'merge',
      uniqueKey: known('unique key', m.uniqueKey),
      latestBy: m.latestBy === undefined ? undefined : known('latestBy column', [m.latestBy])[0],
      partitionedBy,
    }
  }
  const lookbackDays = m.lookbackDays ?? 0
  if (!Number.isInteger(lookbackDays) || lookbackDays < 0) {
    throw new UserError(`${where}: lookbackDays must be a whole number of days >= 0`)
  }
  const timeColumn = known('time column', [m.timeColumn])[0] as string
  const family = contract.find((c) => c.name === timeColumn)?.family
  if (family !== 'date' && family !== 'timestamp') {
    throw new UserError(`${where}: time column ${timeColumn} must be a z.iso.date() or z.iso.datetime()`)
  }
  return {
    kind: 'incremental',
    strategy: 'delete+insert',
    timeColumn,
    lookbackDays,
    partitionedBy,
  }
}
