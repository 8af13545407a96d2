import { createHash } from 'node:crypto'
import type { SqlDialect } from '../../core/sql/dialect.js'
import { compileModel, type InputResolver } from './compile.js'
import { contractColumns } from './contract.js'
import type { Model, Relation } from './define-model.js'
import type { ProjectGraph } from './graph.js'

/** Bumped when the framework changes what it writes for the same model, so every table is rebuilt. */
export const FRAMEWORK_VERSION = 'revops-transforms-1'

/**
 * Two fingerprints per model, both hashes of its compiled SQL (inputs named canonically), its
 * materialization and contract, and its inputs' fingerprints:
 *
 * - `code` covers code only: a source counts by its name. It changes when this model's or an
 *   upstream model's definition changes, and is what `state:modified` compares.
 * - `build` also covers data: a source counts by its data version (the lake files it holds). It
 *   names the physical table (`<model>__<build[0..8]>`), so new raw files give the models that
 *   read them new tables, built beside the ones environments still show, while models whose
 *   inputs did not change keep theirs.
 *
 * An incremental model whose `code` is unchanged but whose `build` is new is built by copying
 * its previous table and adding only what is new (see materialize.ts).
 */
export interface Fingerprint {
  readonly code: string
  readonly build: string
}

export interface FingerprintInputs {
  /** Each source's data version (by source id); a source without one counts as unversioned. */
  readonly sourceVersions: ReadonlyMap<string, string>
  /**
   * Refresh keys of incremental models. A full refresh gives a model a new key, hence a new table
   * rather than the old one extended; later builds carry the key on (runner.ts), so the next
   * build does not fall back on the pre-refresh table that has the same fingerprint otherwise.
   */
  readonly refreshKeys?: ReadonlyMap<string, string>
}

export function fingerprintGraph(
  graph: ProjectGraph,
  dialect: SqlDialect,
  inputs: FingerprintInputs,
): Map<string, Fingerprint> {
  const result = new Map<string, Fingerprint>()
  const of = (relation: Relation, kind: keyof Fingerprint): string => {
    if (relation.kind === 'source') {
      return kind === 'code'
        ? relation.id
        : `${relation.id}@${inputs.sourceVersions.get(relation.id) ?? 'unversioned'}`
    }
    const fingerprint = result.get(relation.name)
    if (fingerprint === undefined)
      throw new Error(`fingerprint of ${relation.name} needed before it was computed`)
    return fingerprint[kind]
  }
  for (const model of graph.models) {
    const body = canonicalBody(model, dialect)
    const upstream = (kind: keyof Fingerprint) =>
      Object.entries(model.inputs)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([alias, relation]) => `${alias}=${of(relation, kind)}`)
    const code = hash([body, ...upstream('code')])
    const key = inputs.refreshKeys?.get(model.name)
    const build = hash([body, ...upstream('build'), ...(key === undefined ? [] : [`refresh=${key}`])])
    result.set(model.name, { code, build })
  }
  return result
}

/** The physical table of a model at a build fingerprint. */
export function physicalName(model: Model, fingerprint: Fingerprint): string {
  return `${model.name}__${fingerprint.build.slice(0, 8)}`
}

/** Everything about the model itself that decides what its table holds. Tests and docs are not in it. */
function canonicalBody(model: Model, dialect: SqlDialect): string {
  // Inputs are named by what they are, not where they live, so the hash is stable across builds.
  const canonical: InputResolver = (relation) =>
    relation.kind === 'model' && relation.materialized.kind === 'ephemeral'
      ? 'inline'
      : { schema: 'ref', name: relation.id.replace('.', '__') }
  const sql = [compileModel(model, dialect, canonical)]
  if (model.materialized.kind === 'incremental') {
    const previous = { schema: 'ref', name: 'previous' }
    sql.push(compileModel(model, dialect, canonical, { previous, since: '1970-01-01' }))
  }
  return JSON.stringify({
    framework: FRAMEWORK_VERSION,
    dialect: dialect.name,
    model: model.name,
    sql,
    materialized: model.materialized,
    columns: contractColumns(`model ${model.name}`, model.columns),
  })
}

function hash(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16)
}
