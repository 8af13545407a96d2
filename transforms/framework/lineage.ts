import {
  AliasNode,
  ColumnNode,
  IdentifierNode,
  type OperationNode,
  OperationNodeTransformer,
  ReferenceNode,
  SelectAllNode,
  type SelectQueryNode,
  TableNode,
} from 'kysely'
import type { SqlDialect } from '../../core/sql/dialect.js'
import { compileOnlyKysely } from '../../core/sql/kysely.js'
import { contractColumns } from './contract.js'
import type { Model, Relation } from './define-model.js'

/** An upstream column an output column is computed from. */
export interface ColumnSource {
  /** The model name or source id. */
  readonly relation: string
  readonly column: string
}

/** Output column → the upstream columns it reads; columns whose origin is not derivable are absent. */
export type ColumnLineage = Record<string, ColumnSource[]>

/** What a name in a FROM clause stands for: an input, or a derived table with its own lineage. */
type Scope = Map<
  string,
  { readonly columns: readonly string[]; readonly origin: (column: string) => ColumnSource[] }
>

/**
 * Column-level lineage read from Kysely's operation tree, not by parsing SQL: each output
 * column's expression is walked for the columns it references, and each reference is resolved
 * through FROM/JOIN aliases, CTEs and subqueries down to the model's inputs. Set operations
 * count their first SELECT only.
 */
export function columnLineage(model: Model, dialect: SqlDialect): ColumnLineage {
  const root = model
    .query({ db: compileOnlyKysely(dialect), dialect, incremental: undefined })
    .toOperationNode()
  const inputs = new Map<string, Relation>(Object.entries(model.inputs))
  const lineage = selectLineage(root, inputs, new Map())
  return Object.fromEntries([...lineage].filter(([, sources]) => sources.length > 0))
}

function selectLineage(
  node: SelectQueryNode,
  inputs: ReadonlyMap<string, Relation>,
  outerCtes: ReadonlyMap<string, Map<string, ColumnSource[]>>,
): Map<string, ColumnSource[]> {
  const ctes = new Map(outerCtes)
  for (const cte of node.with?.expressions ?? []) {
    if (cte.expression.kind === 'SelectQueryNode') {
      ctes.set(
        cte.name.table.table.identifier.name,
        selectLineage(cte.expression as SelectQueryNode, inputs, ctes),
      )
    }
  }
  const scope: Scope = new Map()
  const add = (item: OperationNode) => {
    const [inner, alias] = AliasNode.is(item) ? [item.node, identifier(item.alias)] : [item, undefined]
    if (TableNode.is(inner)) {
      const name = inner.table.identifier.name
      const relation = inputs.get(name)
      const derived = ctes.get(name)
      if (relation) {
        const columns = contractColumns(relation.id, relation.columns).map((c) => c.name)
        scope.set(alias ?? name, { columns, origin: (column) => [{ relation: relation.id, column }] })
      } else if (derived) {
        scope.set(alias ?? name, {
          columns: [...derived.keys()],
          origin: (column) => derived.get(column) ?? [],
        })
      }
    } else if (inner.kind === 'SelectQueryNode' && alias) {
      const derived = selectLineage(inner as SelectQueryNode, inputs, ctes)
      scope.set(alias, { columns: [...derived.keys()], origin: (column) => derived.get(column) ?? [] })
    }
  }
  for (const item of node.from?.froms ?? []) add(item)
  for (const join of node.joins ?? []) add(join.table)

  const resolve = (table: string | undefined, column: string): ColumnSource[] => {
    if (table !== undefined) return scope.get(table)?.origin(column) ?? []
    const owners = [...scope.values()].filter((s) => s.columns.includes(column))
    return owners.length === 1 ? (owners[0]?.origin(column) ?? []) : []
  }
  const result = new Map<string, ColumnSource[]>()
  for (const selection of node.selections ?? []) {
    const item = selection.selection
    if (SelectAllNode.is(item)) {
      for (const [table, s] of scope) for (const c of s.columns) result.set(c, resolve(table, c))
    } else if (ReferenceNode.is(item) && SelectAllNode.is(item.column)) {
      const table = item.table?.table.identifier.name
      for (const c of (table && scope.get(table)?.columns) || []) result.set(c, resolve(table, c))
    } else if (ReferenceNode.is(item) && ColumnNode.is(item.column)) {
      const column = item.column.column.name
      result.set(column, resolve(item.table?.table.identifier.name, column))
    } else if (ColumnNode.is(item)) {
      result.set(item.column.name, resolve(undefined, item.column.name))
    } else if (AliasNode.is(item)) {
      const name = identifier(item.alias)
      if (name) result.set(name, dedupe(references(item.node).flatMap(([t, c]) => resolve(t, c))))
    }
  }
  return result
}

function identifier(node: OperationNode): string | undefined {
  return IdentifierNode.is(node) ? node.name : undefined
}

/** Every column an expression references, as [table alias or undefined, column]. */
function references(node: OperationNode): [string | undefined, string][] {
  const found: [string | undefined, string][] = []
  class Collector extends OperationNodeTransformer {
    protected override transformReference(n: ReferenceNode): ReferenceNode {
      if (ColumnNode.is(n.column)) found.push([n.table?.table.identifier.name, n.column.column.name])
      return n
    }
    protected override transformColumn(n: ColumnNode): ColumnNode {
      found.push([undefined, n.column.name])
      return n
    }
    // A nested SELECT has its own FROM: its columns are not this expression's.
    protected override transformSelectQuery(n: SelectQueryNode): SelectQueryNode {
      return n
    }
  }
  new Collector().transformNode(node)
  return found
}

function dedupe(sources: readonly ColumnSource[]): ColumnSource[] {
  const seen = new Map(sources.map((s) => [`${s.relation}.${s.column}`, s]))
  return [...seen.values()]
}
