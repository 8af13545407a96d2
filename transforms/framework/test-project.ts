import { checkEnvironment, PHYSICAL_SCHEMA, PROD_ENVIRONMENT } from '../../core/config/names.js'
import type { TableRef } from '../../core/sql/dialect.js'
import { buildManifest, writeArtifacts } from './artifacts.js'
import { isBlocking, runDataTest, skippedTest, type TestResult, testsOf } from './data-tests.js'
import type { Relation } from './define-model.js'
import { fingerprintGraph } from './fingerprint.js'
import { checkFreshness } from './freshness.js'
import type { ProjectGraph } from './graph.js'
import type { RunEvent, RunResults } from './run-results.js'
import { modifiedIn } from './runner.js'
import { selectModels } from './selection.js'
import type { SourceBinding } from './sources.js'
import { StateStore } from './state.js'
import type { Target } from './target.js'
import { runUnitTests } from './unit-tests.js'

export interface TestProjectOptions {
  readonly target: Target
  readonly graph: ProjectGraph
  readonly sources: SourceBinding
  readonly environment?: string
  readonly select?: readonly string[]
  readonly artifacts?: string
  readonly onEvent?: (event: RunEvent) => void
  /** The clock freshness is measured against. */
  readonly now?: Date
}

/**
 * `revops test`: source freshness, the data tests of what the environment shows (the physical
 * objects behind its views), and unit tests on in-memory DuckDB. Builds nothing.
 */
export async function testProject(options: TestProjectOptions): Promise<RunResults> {
  const { target, graph } = options
  const environment = checkEnvironment(options.environment ?? PROD_ENVIRONMENT)
  const startedAt = new Date().toISOString()
  const state = await StateStore.open(target)
  const sourceVersions = await options.sources.bind(target, graph.sources)
  const fingerprints = fingerprintGraph(graph, target.dialect, { sourceVersions })
  const selected = selectModels(graph, options.select, modifiedIn(state, environment, fingerprints))
  const models = graph.models.filter((m) => selected.has(m.name))
  const report = (result: TestResult) => {
    options.onEvent?.({ kind: 'check_finished', result })
    return result
  }
  const checks: TestResult[] = []

  const read = new Set(models.flatMap((m) => Object.values(m.inputs)).filter((r) => r.kind === 'source'))
  const sources = options.select?.length ? graph.sources.filter((s) => read.has(s)) : graph.sources
  for (const f of await checkFreshness(target, sources, options.now)) {
    checks.push(
      report({
        model: f.source,
        name: 'freshness',
        kind: 'freshness',
        severity: f.status === 'warn' ? 'warn' : 'error',
        status: f.status === 'pass' ? 'pass' : f.status === 'warn' ? 'warn' : 'fail',
        failures: f.status === 'pass' ? 0 : 1,
        rows: [],
        message: f.message,
        seconds: f.seconds,
        bytesScanned: 0,
      }),
    )
  }

  const shown = state.environment(environment)
  /** The object an environment shows for a relation, or why there is none. */
  const tableOf = (relation: Relation): TableRef | string => {
    if (relation.kind === 'source') return target.table(relation.table.schema, relation.table.name)
    const entry = shown.get(relation.name)
    if (entry === undefined) return `${relation.name} is not built in ${environment}`
    return target.table(PHYSICAL_SCHEMA, entry.physical)
  }
  for (const model of models) {
    if (model.materialized.kind === 'ephemeral') continue
    for (const test of testsOf(model)) {
      const self = tableOf(model)
      const other = test.other && tableOf(test.other)
      const reason = typeof self === 'string' ? self : typeof other === 'string' ? other : undefined
      checks.push(
        report(
          reason !== undefined || typeof self === 'string' || typeof other === 'string'
            ? skippedTest(model.name, test, reason ?? '')
            : await runDataTest(target, model.name, test, { self, ...(other ? { other } : {}) }),
        ),
      )
    }
  }
  checks.push(...(await runUnitTests(models, report)))

  const results: RunResults = {
    command: 'test',
    environment,
    dialect: target.dialect.name,
    startedAt,
    finishedAt: new Date().toISOString(),
    models: [],
    checks,
    ok: !checks.some(isBlocking),
  }
  if (options.artifacts) {
    await writeArtifacts(options.artifacts, {
      manifest: buildManifest(graph, fingerprints, environment),
      runResults: results,
    })
  }
  return results
}
