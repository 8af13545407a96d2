import { randomUUID } from 'node:crypto'
import { checkEnvironment, PHYSICAL_SCHEMA, PROD_ENVIRONMENT } from '../../core/config/names.js'
import { oneLine } from '../../core/errors.js'
import type { TableRef } from '../../core/sql/dialect.js'
import { buildManifest, writeArtifacts } from './artifacts.js'
import type { InputResolver } from './compile.js'
import { isBlocking, runDataTest, skippedTest, type TestResult, testsOf } from './data-tests.js'
import type { Model, Relation } from './define-model.js'
import { type Pointer, pointEnvironment } from './environments.js'
import { type Fingerprint, fingerprintGraph, physicalName } from './fingerprint.js'
import type { ProjectGraph } from './graph.js'
import { materialize } from './materialize.js'
import type { ModelResult, RunEvent, RunResults } from './run-results.js'
import { selectModels } from './selection.js'
import type { SourceBinding } from './sources.js'
import { StateStore } from './state.js'
import type { Target } from './target.js'

export interface BuildOptions {
  readonly target: Target
  readonly graph: ProjectGraph
  readonly sources: SourceBinding
  /** `prod` (default) or `dev_<name>`: the views that show the built models. */
  readonly environment?: string
  /** Selectors (selection.ts); none selects every model. */
  readonly select?: readonly string[]
  /** Rebuild selected incremental models from their query instead of extending the previous build. */
  readonly fullRefresh?: boolean
  /** Models built at once where the DAG allows; default 4. */
  readonly threads?: number
  /** Folder for manifest.json and run_results.json; none writes nothing. */
  readonly artifacts?: string
  readonly onEvent?: (event: RunEvent) => void
}

const OK = new Set(['success', 'reused'])

/**
 * Builds the selected models in DAG order, in parallel where independent: each into its own
 * physical object named by fingerprint (or reused when that object exists), checked against its
 * contract, then tested. Models that pass are shown by the environment's views at the end, all
 * together; a model that fails keeps the environment's previous view, and its downstream models
 * are skipped while independent ones go on.
 */
export async function build(options: BuildOptions): Promise<RunResults> {
  const { target, graph } = options
  const environment = checkEnvironment(options.environment ?? PROD_ENVIRONMENT)
  const startedAt = new Date().toISOString()
  const state = await StateStore.open(target)
  const sourceVersions = await options.sources.bind(target, graph.sources)
  const unkeyed = fingerprintGraph(graph, target.dialect, { sourceVersions })
  const selected = selectModels(graph, options.select, modifiedIn(state, environment, unkeyed))
  const refreshKeys = new Map<string, string>()
  const refresh = randomUUID()
  for (const m of graph.models.filter((m) => m.materialized.kind === 'incremental')) {
    const key =
      options.fullRefresh && selected.has(m.name)
        ? refresh
        : state.readySameCode(m.name, (unkeyed.get(m.name) as Fingerprint).code)[0]?.refresh_key
    if (key) refreshKeys.set(m.name, key)
  }
  const fingerprints = refreshKeys.size
    ? fingerprintGraph(graph, target.dialect, { sourceVersions, refreshKeys })
    : unkeyed
  const fingerprint = (m: Model) => fingerprints.get(m.name) as Fingerprint
  const physical = (m: Model): TableRef => target.table(PHYSICAL_SCHEMA, physicalName(m, fingerprint(m)))
  const resolve = inputResolver(target, physical)

  const nodes = graph.models.filter((m) => selected.has(m.name) && m.materialized.kind !== 'ephemeral')
  const inRun = new Set(nodes.map((m) => m.name))
  const results = new Map<string, ModelResult>()
  let started = 0

  const runNode = async (model: Model): Promise<ModelResult> => {
    const index = ++started
    options.onEvent?.({ kind: 'model_started', model: model.name, index, total: nodes.length })
    const begin = performance.now()
    const base = {
      model: model.name,
      materialized: describe(model),
      fingerprint: fingerprint(model).code,
      physical: physical(model).name,
    }
    const done = (result: Omit<ModelResult, keyof typeof base | 'seconds'>): ModelResult => {
      const final = { ...base, ...result, seconds: (performance.now() - begin) / 1000 }
      options.onEvent?.({ kind: 'model_finished', result: final, index, total: nodes.length })
      return final
    }
    const idle = { action: undefined, seededFrom: undefined, rows: null, bytesScanned: 0, tests: [] }
    const upstream = builtInputs(model)
    const failed = upstream.find((u) => inRun.has(u.name) && !OK.has(results.get(u.name)?.status ?? ''))
    if (failed)
      return done({ ...idle, status: 'skipped', error: `upstream model ${failed.name} did not succeed` })
    const missing = upstream.find(
      (u) => !inRun.has(u.name) && state.object(physical(u).name)?.status !== 'ready',
    )
    if (missing) {
      return done({
        ...idle,
        status: 'error',
        error: `upstream model ${missing.name} is not built at its current fingerprint (${physical(missing).name}); select +${model.name} to build it too`,
      })
    }
    try {
      const outcome = await materialize(target, state, {
        model,
        fingerprint: fingerprint(model),
        physical: physical(model),
        resolve,
        dependsOn: upstream.map((u) => physical(u).name),
        fullRefresh: options.fullRefresh ?? false,
        refreshKey: refreshKeys.get(model.name),
      })
      const tests: TestResult[] = []
      for (const test of testsOf(model)) {
        const other = test.other && otherTable(test.other)
        tests.push(
          typeof other === 'string'
            ? skippedTest(model.name, test, other)
            : await runDataTest(target, model.name, test, {
                self: physical(model),
                ...(other ? { other } : {}),
              }),
        )
      }
      return done({
        status: tests.some(isBlocking) ? 'test_failure' : outcome.action === 'reused' ? 'reused' : 'success',
        action: outcome.action,
        seededFrom: outcome.seededFrom,
        rows: outcome.rows,
        bytesScanned: outcome.bytesScanned + tests.reduce((sum, t) => sum + t.bytesScanned, 0),
        error: undefined,
        tests,
      })
    } catch (error) {
      return done({ ...idle, status: 'error', error: oneLine(error) })
    }
  }

  /** Where a test's other relation is read, or why it cannot be. */
  const otherTable = (relation: Relation): TableRef | string => {
    if (relation.kind === 'source') return target.table(relation.table.schema, relation.table.name)
    if (relation.materialized.kind === 'ephemeral') return `${relation.name} is ephemeral: it has no table`
    const result = results.get(relation.name)
    if (result && !OK.has(result.status)) return `${relation.name} did not succeed`
    if (state.object(physical(relation).name)?.status !== 'ready') return `${relation.name} is not built`
    return physical(relation)
  }

  await schedule(
    nodes,
    options.threads ?? 4,
    (m) => waitsFor(m).filter((u) => inRun.has(u.name)),
    async (m) => {
      results.set(m.name, await runNode(m))
    },
  )

  const models = nodes.map((m) => results.get(m.name) as ModelResult)
  const shown = state.environment(environment)
  const pointers: Pointer[] = models
    .filter((r) => OK.has(r.status) && shown.get(r.model)?.physical !== r.physical)
    .map((r) => ({ model: r.model, layer: graph.model(r.model).layer, physical: r.physical }))
  await pointEnvironment(target, state, environment, pointers)

  const runResults: RunResults = {
    command: 'build',
    environment,
    dialect: target.dialect.name,
    startedAt,
    finishedAt: new Date().toISOString(),
    models,
    checks: [],
    ok: models.every((r) => OK.has(r.status)),
  }
  if (options.artifacts) {
    await writeArtifacts(options.artifacts, {
      manifest: buildManifest(graph, fingerprints, environment),
      runResults,
    })
  }
  return runResults
}

/** Inputs resolve to raw tables, inlined ephemeral models, or the physical objects of this build. */
export function inputResolver(target: Target, physical: (m: Model) => TableRef): InputResolver {
  return (relation) => {
    if (relation.kind === 'source') return target.table(relation.table.schema, relation.table.name)
    return relation.materialized.kind === 'ephemeral' ? 'inline' : physical(relation)
  }
}

/** `state:modified`: the environment does not show the model, or shows a build of other code. */
export function modifiedIn(
  state: StateStore,
  environment: string,
  fingerprints: ReadonlyMap<string, Fingerprint>,
) {
  const shown = state.environment(environment)
  return (model: Model): boolean => {
    if (model.materialized.kind === 'ephemeral') return false
    const entry = shown.get(model.name)
    const object = entry && state.object(entry.physical)
    return object?.code_fingerprint !== fingerprints.get(model.name)?.code
  }
}

/** The built (non-ephemeral) models a model reads, looking through ephemeral ones it inlines. */
export function builtInputs(model: Model): Model[] {
  const found = new Set<Model>()
  const visit = (m: Model) => {
    for (const input of Object.values(m.inputs)) {
      if (input.kind !== 'model') continue
      if (input.materialized.kind === 'ephemeral') visit(input)
      else found.add(input)
    }
  }
  visit(model)
  return [...found]
}

/** What must finish before a model runs: the models it reads, and those its tests compare against. */
function waitsFor(model: Model): Model[] {
  const others = model.tests.flatMap((t) =>
    t.other?.kind === 'model' && t.other.materialized.kind !== 'ephemeral' ? [t.other] : [],
  )
  return [...new Set([...builtInputs(model), ...others])]
}

export function describe(model: Model): string {
  const m = model.materialized
  return m.kind === 'incremental' ? `incremental ${m.strategy}` : m.kind
}

/**
 * Runs tasks in the given (topological) order, at most `threads` at once, each when the tasks
 * it waits for have finished. A task never throws (failures are results).
 */
async function schedule<T extends { name: string }>(
  items: readonly T[],
  threads: number,
  waitsFor: (item: T) => readonly T[],
  run: (item: T) => Promise<void>,
): Promise<void> {
  const finished = new Set<string>()
  const pending = [...items]
  const running = new Map<string, Promise<string>>()
  while (pending.length > 0 || running.size > 0) {
    for (const item of [...pending]) {
      if (running.size >= Math.max(1, threads)) break
      if (!waitsFor(item).every((w) => finished.has(w.name))) continue
      pending.splice(pending.indexOf(item), 1)
      running.set(
        item.name,
        run(item).then(() => item.name),
      )
    }
    if (running.size === 0) throw new Error('models wait for each other: the graph has a cycle')
    const name = await Promise.race(running.values())
    running.delete(name)
    finished.add(name)
  }
}
