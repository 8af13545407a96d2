import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { layerSchema } from '../../core/config/names.js'
import { oneLine } from '../../core/errors.js'
import { replaceFile } from '../../core/replace-file.js'
import type { DialectName } from '../../core/sql/dialect.js'
import { allDialects, getDialect } from '../../core/sql/dialects.js'
import { compileModel, type InputResolver } from './compile.js'
import { contractColumns } from './contract.js'
import { testsOf } from './data-tests.js'
import type { Model } from './define-model.js'
import { type Fingerprint, FRAMEWORK_VERSION, physicalName } from './fingerprint.js'
import type { ProjectGraph } from './graph.js'
import { type ColumnLineage, columnLineage } from './lineage.js'
import type { RunResults } from './run-results.js'

export interface Manifest {
  readonly metadata: {
    readonly generated_at: string
    readonly framework: string
    readonly environment: string
  }
  readonly sources: Record<string, unknown>
  readonly models: Record<string, ManifestModel>
}

export interface ManifestModel {
  readonly layer: string
  readonly description: string
  readonly materialized: Model['materialized']
  /** Input name → model name or source id. */
  readonly inputs: Record<string, string>
  readonly depends_on: readonly string[]
  readonly columns: ReturnType<typeof contractColumns>
  /** The code fingerprint (what `state:modified` compares). */
  readonly fingerprint: string
  /** The physical object the fingerprints name on the build's engine (absent for ephemeral models). */
  readonly physical: string | undefined
  /** The model's SELECT per dialect, reading the environment's views (ephemeral inputs inlined). */
  readonly sql: Partial<Record<DialectName, string>>
  readonly lineage: ColumnLineage
  readonly tests: readonly { name: string; kind: string; severity: string; other: string | undefined }[]
  readonly unit_tests: readonly string[]
}

/**
 * The project as data: models, dependencies, SQL per dialect, fingerprints, columns and
 * column-level lineage. Schema names are the logical ones (core/config/names.ts), without the
 * deployment prefix Glue databases carry.
 */
export function buildManifest(
  graph: ProjectGraph,
  fingerprints: ReadonlyMap<string, Fingerprint>,
  environment: string,
): Manifest {
  const models: Record<string, ManifestModel> = {}
  for (const model of graph.models) {
    const fingerprint = fingerprints.get(model.name) as Fingerprint
    const resolve: InputResolver = (relation) =>
      relation.kind === 'source'
        ? relation.table
        : relation.materialized.kind === 'ephemeral'
          ? 'inline'
          : { schema: layerSchema(environment, relation.layer), name: relation.name }
    const sql: Partial<Record<DialectName, string>> = {}
    let lineage: ColumnLineage = {}
    for (const dialect of allDialects()) {
      try {
        sql[dialect.name] = compileModel(model, dialect, resolve)
      } catch (error) {
        sql[dialect.name] = `-- does not compile for ${dialect.name}: ${oneLine(error)}`
      }
    }
    try {
      // Lineage is read from the query tree, which is the same for every dialect.
      lineage = columnLineage(model, getDialect('duckdb'))
    } catch {
      lineage = {}
    }
    models[model.name] = {
      layer: model.layer,
      description: model.description,
      materialized: model.materialized,
      inputs: Object.fromEntries(Object.entries(model.inputs).map(([alias, r]) => [alias, r.id])),
      depends_on: [...new Set(Object.values(model.inputs).map((r) => r.id))].sort(),
      columns: contractColumns(`model ${model.name}`, model.columns),
      fingerprint: fingerprint.code,
      physical: model.materialized.kind === 'ephemeral' ? undefined : physicalName(model, fingerprint),
      sql,
      lineage,
      tests: testsOf(model).map((t) => ({
        name: t.name,
        kind: t.kind,
        severity: t.severity,
        other: t.other?.id,
      })),
      unit_tests: model.unitTests.map((u) => u.name),
    }
  }
  const sources = Object.fromEntries(
    graph.sources.map((s) => [
      s.id,
      { source: s.source, entity: s.entity, description: s.description, freshness: s.freshness ?? null },
    ]),
  )
  return {
    metadata: { generated_at: new Date().toISOString(), framework: FRAMEWORK_VERSION, environment },
    sources,
    models,
  }
}

/** Writes `manifest.json` and/or `run_results.json` into the artifacts folder, each replaced whole. */
export async function writeArtifacts(
  folder: string,
  artifacts: { readonly manifest?: Manifest; readonly runResults?: RunResults },
): Promise<void> {
  await mkdir(folder, { recursive: true })
  if (artifacts.manifest) await writeJson(join(folder, 'manifest.json'), artifacts.manifest)
  if (artifacts.runResults) await writeJson(join(folder, 'run_results.json'), artifacts.runResults)
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await replaceFile(
    path,
    `${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`,
  )
}
