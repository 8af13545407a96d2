import { layerSchema, PHYSICAL_SCHEMA, PROD_ENVIRONMENT } from '../../core/config/names.js'
import { compileModel } from './compile.js'
import { contractColumns } from './contract.js'
import { compileTest, testsOf } from './data-tests.js'
import type { Model } from './define-model.js'
import { environmentView } from './environments.js'
import { type Fingerprint, fingerprintGraph, physicalName } from './fingerprint.js'
import type { ProjectGraph } from './graph.js'
import { deleteSince, insertSelect, mergeSource, sinceFilter } from './materialize.js'
import { describe, inputResolver } from './runner.js'
import type { Target } from './target.js'

/** One file of `revops compile`: statements separated by `;`, each runnable on its own. */
export interface CompiledFile {
  /** Relative path: `models/<layer>/<model>.sql` or `tests/<model>/<test>.sql`. */
  readonly path: string
  readonly statements: readonly string[]
  /** Comment lines heading the file. */
  readonly notes: readonly string[]
}

/** Stands for run-time values in compiled incremental statements. */
const PLACEHOLDER_SINCE = '1970-01-01'

/**
 * The SQL of every model and test for the target's dialect, as a build would run it, without
 * running anything: a full build (CTAS, or a view), an incremental run for incremental models
 * (copy of the previous build, then MERGE or DELETE+INSERT), and the environment view. Physical
 * names use fingerprints with sources unversioned (a build adds the lake's data version).
 */
export function compileProject(
  graph: ProjectGraph,
  target: Target,
  environment = PROD_ENVIRONMENT,
): CompiledFile[] {
  const d = target.dialect
  const fingerprints = fingerprintGraph(graph, d, { sourceVersions: new Map() })
  const physical = (m: Model) =>
    target.table(PHYSICAL_SCHEMA, physicalName(m, fingerprints.get(m.name) as Fingerprint))
  const resolve = inputResolver(target, physical)
  const files: CompiledFile[] = []
  for (const model of graph.models) {
    const config = model.materialized
    const select = compileModel(model, d, resolve)
    const notes = [
      `model ${model.name} (${describe(model)}), layer ${model.layer}`,
      `fingerprint ${fingerprints.get(model.name)?.code}`,
    ]
    const path = `models/${model.layer}/${model.name}.sql`
    if (config.kind === 'ephemeral') {
      files.push({
        path,
        statements: [select],
        notes: [...notes, 'ephemeral: inlined as a CTE by the models that read it'],
      })
      continue
    }
    const table = physical(model)
    const statements: string[] = []
    if (config.kind === 'view') statements.push(d.createOrReplaceView(table, select))
    else {
      const location = target.freshLocation(table)
      const options = { partitionedBy: config.partitionedBy, ...(location ? { location } : {}) }
      statements.push(d.createTableAs(table, select, options))
      if (config.kind === 'incremental') {
        notes.push(
          `incremental run: statements 2.. copy the previous build (${table.name} stands for both), then add what is new`,
        )
        const previous = target.table(PHYSICAL_SCHEMA, `${model.name}__previous`)
        statements.push(d.createTableAs(table, `SELECT * FROM ${d.tableName(previous)}`, options))
        const columns = contractColumns(`model ${model.name}`, model.columns)
        if (config.strategy === 'merge') {
          const source = compileModel(model, d, resolve, { previous, since: undefined })
          statements.push(
            d.merge({
              target: table,
              source: mergeSource(d, source, columns, config),
              keys: config.uniqueKey,
              columns: columns.map((c) => c.name),
            }),
          )
        } else {
          notes.push(
            `the range start (${PLACEHOLDER_SINCE} here) is the previous build's latest day minus the lookback`,
          )
          const source = compileModel(model, d, resolve, { previous, since: PLACEHOLDER_SINCE })
          statements.push(deleteSince(d, table, config.timeColumn, PLACEHOLDER_SINCE))
          statements.push(
            insertSelect(d, table, columns, sinceFilter(d, source, config.timeColumn, PLACEHOLDER_SINCE)),
          )
        }
      }
    }
    const view = environmentView(target, environment, model.layer, model.name)
    statements.push(d.createOrReplaceView(view, `SELECT * FROM ${d.tableName(table)}`))
    files.push({
      path,
      statements,
      notes: [...notes, `last statement: the ${layerSchema(environment, model.layer)} view`],
    })

    for (const test of testsOf(model)) {
      const other =
        test.other === undefined
          ? undefined
          : test.other.kind === 'source'
            ? target.table(test.other.table.schema, test.other.table.name)
            : physical(test.other)
      files.push({
        path: `tests/${model.name}/${test.name}.sql`,
        statements: [
          compileTest(test, d, { self: table, ...(other ? { other } : {}) }, `model ${model.name}`),
        ],
        notes: [
          `test ${test.name} of ${model.name} (${test.kind}, ${test.severity}): passes when it returns no rows`,
        ],
      })
    }
  }
  return files
}

/** The file's text: notes as comments, statements separated by `;`. */
export function renderFile(file: CompiledFile): string {
  return `${file.notes.map((n) => `-- ${n}`).join('\n')}\n${file.statements.map((s) => `${s};`).join('\n\n')}\n`
}
