import {
  AliasNode,
  CommonTableExpressionNameNode,
  CommonTableExpressionNode,
  createQueryId,
  type Expression,
  type FromNode,
  IdentifierNode,
  type JoinNode,
  type OperationNode,
  OperationNodeTransformer,
  type PrimitiveValueListNode,
  RawNode,
  type SelectQueryNode,
  sql,
  TableNode,
  ValueListNode,
  type ValueNode,
  WithNode,
} from 'kysely'
import { UserError } from '../../core/errors.js'
import type { LiteralValue, SqlDialect, TableRef } from '../../core/sql/dialect.js'
import { compileOnlyKysely } from '../../core/sql/kysely.js'
import type { IncrementalContext, Model, Relation } from './define-model.js'

/** Where an input is read from when the query runs: a table, or `inline` to inline an ephemeral model as a CTE. */
export type InputResolution = TableRef | 'inline'
export type InputResolver = (relation: Relation, alias: string) => InputResolution

/** Run-time facts an incremental run passes to the query: the previous build and the range being rebuilt. */
export interface IncrementalInput {
  readonly previous: TableRef
  readonly since: string | undefined
}

/**
 * Compiles a model's query for a dialect: input names become the tables the resolver names,
 * ephemeral inputs become CTEs, and every value becomes a literal (views and CTAS take no
 * parameters). The SQL is plain text that runs as is on the dialect's engine.
 */
export function compileModel(
  model: Model,
  dialect: SqlDialect,
  resolve: InputResolver,
  incremental?: IncrementalInput,
): string {
  const ctes: CommonTableExpressionNode[] = []
  const node = resolvedNode(model, dialect, resolve, ctes, new Set(), incremental)
  return compileNode(withPrepended(node, ctes, model.name), dialect)
}

/**
 * Compiles any select built on a compile-only Kysely over named tables (data tests, state
 * queries): `tables` maps each name the query uses to where it lives.
 */
export function compileSelect<DB>(
  dialect: SqlDialect,
  tables: Readonly<Record<string, TableRef>>,
  build: (db: ReturnType<typeof compileOnlyKysely<DB>>) => { toOperationNode(): OperationNode },
  where: string,
): string {
  const node = build(compileOnlyKysely<DB>(dialect)).toOperationNode()
  const mapping = new Map(Object.entries(tables).map(([name, table]) => [name, tableNode(table)]))
  return compileNode(new InputTables(mapping, where).rewrite(node), dialect)
}

/** The text of an expression (a dialect helper's result, a literal) on its own. */
export function sqlText(expression: Expression<unknown>, dialect: SqlDialect): string {
  return compileNode(expression.toOperationNode(), dialect)
}

/** A statement's text with values inlined; throws if anything would still need a parameter. */
export function compileNode(node: OperationNode, dialect: SqlDialect): string {
  const compiled = dialect
    .createQueryCompiler()
    .compileQuery(new InlineValues(dialect).transformNode(node) as SelectQueryNode, createQueryId())
  if (compiled.parameters.length > 0) throw new Error('a compiled statement still has parameters')
  return compiled.sql
}

function resolvedNode(
  model: Model,
  dialect: SqlDialect,
  resolve: InputResolver,
  ctes: CommonTableExpressionNode[],
  inlining: Set<string>,
  incremental: IncrementalInput | undefined,
): SelectQueryNode {
  const where = `model ${model.name}`
  const mapping = new Map<string, OperationNode>()
  for (const [alias, relation] of Object.entries(model.inputs)) {
    const resolution = resolve(relation, alias)
    if (resolution !== 'inline') {
      mapping.set(alias, tableNode(resolution))
      continue
    }
    if (relation.kind !== 'model') throw new Error(`cannot inline source ${relation.id}`)
    if (!ctes.some((c) => c.name.table.table.identifier.name === relation.name)) {
      if (inlining.has(relation.name)) throw new UserError(`${where}: ephemeral models form a cycle`)
      inlining.add(relation.name)
      const inner = resolvedNode(relation, dialect, resolve, ctes, inlining, undefined)
      ctes.push(CommonTableExpressionNode.create(CommonTableExpressionNameNode.create(relation.name), inner))
    }
    mapping.set(alias, TableNode.create(relation.name))
  }
  const query = model.query({
    db: compileOnlyKysely(dialect),
    dialect,
    incremental: incremental && incrementalContext(dialect, incremental),
  })
  const node = query.toOperationNode()
  if (node.kind !== 'SelectQueryNode') throw new UserError(`${where}: query must be a SELECT`)
  return new InputTables(mapping, where).rewrite(node)
}

function incrementalContext(
  dialect: SqlDialect,
  input: IncrementalInput,
): IncrementalContext<Record<string, unknown>> {
  const previous = sql.raw(dialect.tableName(input.previous))
  return {
    max: (column: string) =>
      sql<never>`(SELECT max(${sql.raw(dialect.quoteIdentifier(column))}) FROM ${previous})`,
    since: input.since === undefined ? undefined : dialect.dateLiteral(input.since),
  }
}

function withPrepended(node: SelectQueryNode, ctes: readonly CommonTableExpressionNode[], model: string) {
  if (ctes.length === 0) return node
  const own = node.with?.expressions ?? []
  for (const cte of own) {
    const name = cte.name.table.table.identifier.name
    if (ctes.some((c) => c.name.table.table.identifier.name === name)) {
      throw new UserError(`model ${model}: its CTE ${name} has the name of an ephemeral model it reads`)
    }
  }
  const expressions = [...ctes, ...own]
  const [first, ...rest] = expressions as [CommonTableExpressionNode, ...CommonTableExpressionNode[]]
  let withNode = WithNode.create(first, node.with?.recursive ? { recursive: true } : undefined)
  for (const cte of rest) withNode = WithNode.cloneWithExpression(withNode, cte)
  return { ...node, with: withNode }
}

function tableNode(table: TableRef): OperationNode {
  return TableNode.createWithSchema(table.schema, table.name)
}

/**
 * Rewrites the logical table names in FROM and JOIN (`inv`) to where the input lives
 * (`"physical"."stg_x__3f9a1c2b" AS "inv"`), keeping the logical name as the alias so column
 * references (`inv.amount`) stay valid. Any other table a query names is an error: every read
 * must be a declared input, or the DAG would miss an edge.
 */
class InputTables extends OperationNodeTransformer {
  #ctes = new Set<string>()

  constructor(
    private readonly mapping: ReadonlyMap<string, OperationNode>,
    private readonly where: string,
  ) {
    super()
  }

  /** Rewrites a query tree; CTE names are collected first, as FROM is visited before WITH. */
  rewrite<T extends OperationNode>(node: T): T {
    this.#ctes = cteNames(node)
    return this.transformNode(node)
  }

  protected override transformFrom(node: FromNode): FromNode {
    return { ...node, froms: node.froms.map((item) => this.fromItem(item)) }
  }

  protected override transformJoin(node: JoinNode): JoinNode {
    const joined = super.transformJoin(node)
    return { ...joined, table: this.fromItem(node.table) }
  }

  private fromItem(item: OperationNode): OperationNode {
    if (TableNode.is(item)) return this.table(item, item.table.identifier.name)
    if (AliasNode.is(item) && TableNode.is(item.node))
      return AliasNode.create(this.table(item.node, undefined), item.alias)
    return this.transformNode(item)
  }

  /** The input's table, aliased by its logical name unless the query gave its own alias. */
  private table(node: TableNode, alias: string | undefined): OperationNode {
    const name = node.table.identifier.name
    const target = node.table.schema === undefined ? this.mapping.get(name) : undefined
    if (target === undefined) {
      if (node.table.schema === undefined && this.#ctes.has(name)) return node
      const known = [...this.mapping.keys()].join(', ') || 'none'
      throw new UserError(`${this.where} reads table ${name}, which is not one of its inputs (${known})`)
    }
    return alias === undefined ? target : AliasNode.create(target, IdentifierNode.create(alias))
  }

  protected override transformRaw(node: RawNode): RawNode {
    // `sql.table('inv')` inside raw SQL refers to an input too.
    const parameters = node.parameters.map((p) =>
      TableNode.is(p) && p.table.schema === undefined && this.mapping.has(p.table.identifier.name)
        ? (this.mapping.get(p.table.identifier.name) as OperationNode)
        : this.transformNode(p),
    )
    return { ...node, parameters }
  }
}

/** Names of every CTE declared anywhere in a tree. */
function cteNames(node: OperationNode): Set<string> {
  const names = new Set<string>()
  class Collector extends OperationNodeTransformer {
    protected override transformCommonTableExpressionName(
      n: CommonTableExpressionNameNode,
    ): CommonTableExpressionNameNode {
      names.add(n.table.table.identifier.name)
      return n
    }
  }
  new Collector().transformNode(node)
  return names
}

/**
 * Turns every parameter into a literal spelled by the dialect. A `Date` is refused: its meaning
 * (DATE or TIMESTAMP, which zone) is ambiguous; use `dialect.dateLiteral`/`timestampLiteral`.
 */
class InlineValues extends OperationNodeTransformer {
  constructor(private readonly dialect: SqlDialect) {
    super()
  }

  protected override transformValue(node: ValueNode): ValueNode {
    if (node.immediate) return node
    // A raw literal stands where the value was; the compiler visits both kinds alike.
    return RawNode.createWithSql(this.literal(node.value)) as unknown as ValueNode
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    const values = node.values.map((v) => RawNode.createWithSql(this.literal(v)))
    return ValueListNode.create(values) as unknown as PrimitiveValueListNode
  }

  private literal(value: unknown): string {
    if (
      value === null ||
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'bigint' ||
      typeof value === 'boolean'
    ) {
      return this.dialect.literal(value as LiteralValue)
    }
    throw new UserError(
      `cannot write ${Object.prototype.toString.call(value)} as SQL; use dialect.dateLiteral or dialect.timestampLiteral for dates`,
    )
  }
}
