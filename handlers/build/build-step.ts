import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { PROD_ENVIRONMENT } from '../../core/config/names.js'
import { oneLine } from '../../core/errors.js'
import { isBlocking } from '../../transforms/framework/data-tests.js'
import { fingerprintGraph } from '../../transforms/framework/fingerprint.js'
import type { ProjectGraph } from '../../transforms/framework/graph.js'
import type { ModelResult, RunResults } from '../../transforms/framework/run-results.js'
import { build, builtInputs, modifiedIn } from '../../transforms/framework/runner.js'
import { selectModels } from '../../transforms/framework/selection.js'
import type { SourceBinding } from '../../transforms/framework/sources.js'
import { StateStore } from '../../transforms/framework/state.js'
import type { Target } from '../../transforms/framework/target.js'

/** Longest error text kept per model: the continuation travels through Step Functions (256 KB). */
const ERROR_CHARS = 500

/**
 * A build in progress, carried from one invocation to the next by the state machine. The source
 * versions are pinned when the build starts: pulls land new raw files while it runs, and a model
 * built by a later batch must agree with the upstream tables of earlier batches on what data
 * they were built from (fingerprints include the source versions). The next build sees the new
 * files under new versions.
 */
export const BuildRun = z.object({
  id: z.string().min(1),
  startedAt: z.iso.datetime(),
  fullRefresh: z.boolean(),
  /** Models still to build, upstream before downstream. */
  remaining: z.array(z.string()),
  /** The data version of each source (by source id) that every batch fingerprints with. */
  sourceVersions: z.record(z.string(), z.string()),
  /** Models per batch: one `build()` call, promoted together. Halved when a batch meets the deadline. */
  batchSize: z.number().int().min(1),
  invocations: z.number().int().min(0),
  /** Finished models by status (success, reused, error, test_failure, skipped). */
  counts: z.record(z.string(), z.number().int().min(0)),
  failures: z.array(z.object({ model: z.string(), status: z.string(), error: z.string() })),
  bytesScanned: z.number().min(0),
})
export type BuildRun = z.infer<typeof BuildRun>

/**
 * What a step receives: the execution's input on the first step (`{}`, or a selection and a full
 * refresh), then the previous step's output, whose `run` continues the build.
 */
export const BuildStepInput = z
  .looseObject({
    select: z.union([z.string(), z.array(z.string())]).optional(),
    fullRefresh: z.boolean().optional(),
    run: BuildRun.optional(),
  })
  .nullish()

export interface BuildStepResult {
  /** No model is left to build. */
  readonly done: boolean
  /** Done, and every model succeeded or was reused. */
  readonly ok: boolean
  readonly run: BuildRun
}

export interface BuildStepSettings {
  /** Models per batch at the start of a build. */
  readonly batchModels: number
  /** Another batch starts only with at least this much time left (or 1.5 times the longest batch so far). */
  readonly reserveMs: number
  /** Queries still running when this much time is left are stopped, and the batch runs again next step. */
  readonly stopMarginMs: number
  readonly threads: number
}

export const DEFAULT_BUILD_STEP_SETTINGS: BuildStepSettings = {
  batchModels: 12,
  reserveMs: 5 * 60_000,
  stopMarginMs: 45_000,
  threads: 4,
}

export interface BuildStepOptions {
  /** A target whose queries stop when the signal aborts. */
  readonly target: (signal: AbortSignal) => Target
  readonly graph: ProjectGraph
  readonly sources: SourceBinding
  /** Time left in this invocation (a Lambda's `getRemainingTimeInMillis`). */
  readonly remainingMs: () => number
  readonly settings?: Partial<BuildStepSettings>
  /** Called with each finished batch (the handler logs it). */
  readonly onBatch?: (results: RunResults) => void
  readonly now?: () => Date
}

const OK = new Set(['success', 'reused'])

class DeadlineReached extends Error {
  override readonly name = 'DeadlineReached'
}

/**
 * One step of a build that may take longer than one Lambda invocation: builds the remaining
 * models in batches of the project's DAG order (each batch one framework `build()`, so each is
 * built, tested and promoted like `revops build` would), starts a batch only while time for it
 * is left, and returns what is left for the next step. A model whose inputs failed is skipped
 * without a query. A batch cut off by the deadline runs again next step, in halves, reusing the
 * tables it finished (the framework promotes a batch at its end); a single model that cannot
 * finish within one invocation fails rather than loop.
 */
export async function buildStep(input: unknown, options: BuildStepOptions): Promise<BuildStepResult> {
  const settings = { ...DEFAULT_BUILD_STEP_SETTINGS, ...options.settings }
  const parsed = BuildStepInput.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`build step input: ${issue?.path.join('.') || '(input)'}: ${issue?.message}`)
  }
  const { graph } = options
  const run: BuildRun = parsed.data?.run
    ? structuredClone(parsed.data.run)
    : await startRun(options, settings, parsed.data ?? {})
  run.invocations += 1
  const sources = pinnedSources(options.sources, run.sourceVersions)
  const failed = new Set(run.failures.map((f) => f.model))
  const finish = (result: Pick<ModelResult, 'model' | 'status' | 'error' | 'tests'>) => {
    run.counts[result.status] = (run.counts[result.status] ?? 0) + 1
    if (OK.has(result.status)) return
    failed.add(result.model)
    const tests = result.tests.filter(isBlocking).map((t) => `${t.name}${t.message ? `: ${t.message}` : ''}`)
    const error = result.error ?? (tests.length ? `failing tests: ${tests.join('; ')}` : result.status)
    run.failures.push({
      model: result.model,
      status: result.status,
      error: oneLine(error).slice(0, ERROR_CHARS),
    })
  }

  let longest = 0
  for (let batches = 0; run.remaining.length > 0; batches++) {
    if (batches > 0 && options.remainingMs() < Math.max(settings.reserveMs, 1.5 * longest)) break
    // Models whose inputs failed are skipped here, as the framework would skip them in one build.
    while (run.remaining.length > 0) {
      const model = graph.model(run.remaining[0] as string)
      const broken = builtInputs(model).find((u) => failed.has(u.name))
      if (!broken) break
      run.remaining.shift()
      finish({
        model: model.name,
        status: 'skipped',
        error: `upstream model ${broken.name} did not succeed`,
        tests: [],
      })
    }
    if (run.remaining.length === 0) break

    const batch = run.remaining.slice(0, run.batchSize)
    const controller = new AbortController()
    const timer = setTimeout(
      () => controller.abort(new DeadlineReached('the invocation is about to time out')),
      Math.max(0, options.remainingMs() - settings.stopMarginMs),
    )
    const began = performance.now()
    let results: RunResults | undefined
    try {
      results = await build({
        target: options.target(controller.signal),
        graph,
        sources,
        environment: PROD_ENVIRONMENT,
        select: batch,
        fullRefresh: run.fullRefresh,
        threads: settings.threads,
      })
    } catch (error) {
      if (!controller.signal.aborted) throw error
    } finally {
      clearTimeout(timer)
    }
    // An abort that came after the batch's last query leaves complete results: keep them.
    const cut =
      results === undefined || (controller.signal.aborted && results.models.some((m) => m.status === 'error'))
    if (cut || results === undefined) {
      // Cut off: the tables this batch finished are reused next step, and promoted then.
      if (batch.length === 1) {
        run.remaining.shift()
        finish({
          model: batch[0] as string,
          status: 'error',
          error: `did not finish within one invocation (${Math.round((performance.now() - began) / 1000)} s)`,
          tests: [],
        })
      } else {
        run.batchSize = Math.max(1, Math.floor(batch.length / 2))
      }
      break
    }
    longest = Math.max(longest, performance.now() - began)
    options.onBatch?.(results)
    for (const result of results.models) finish(result)
    run.bytesScanned += results.models.reduce((sum, m) => sum + m.bytesScanned, 0)
    run.remaining.splice(0, batch.length)
  }
  const done = run.remaining.length === 0
  return { done, ok: done && run.failures.length === 0, run }
}

async function startRun(
  options: BuildStepOptions,
  settings: BuildStepSettings,
  input: { select?: string | string[] | undefined; fullRefresh?: boolean | undefined },
): Promise<BuildRun> {
  const { graph } = options
  const target = options.target(new AbortController().signal)
  const versions = await options.sources.bind(target, graph.sources)
  const selectors = input.select === undefined ? [] : [input.select].flat()
  // `state:modified` compares with what prod shows: the build state is read only when it is asked for.
  const isModified = selectors.some((s) => s.includes('state:modified'))
    ? modifiedIn(
        await StateStore.open(target),
        PROD_ENVIRONMENT,
        fingerprintGraph(graph, target.dialect, { sourceVersions: versions }),
      )
    : () => false
  const selected = selectModels(graph, selectors, isModified)
  return {
    id: randomUUID(),
    startedAt: (options.now?.() ?? new Date()).toISOString(),
    fullRefresh: input.fullRefresh ?? false,
    remaining: graph.models
      .filter((m) => selected.has(m.name) && m.materialized.kind !== 'ephemeral')
      .map((m) => m.name),
    sourceVersions: Object.fromEntries(versions),
    batchSize: settings.batchModels,
    invocations: 0,
    counts: {},
    failures: [],
    bytesScanned: 0,
  }
}

/**
 * The binding's tables with the versions pinned when the build started (a source new since then
 * takes its version now). Binding still runs each time: locally it is what makes raw tables
 * readable; on Athena it only lists the lake.
 */
export function pinnedSources(
  binding: SourceBinding,
  versions: Readonly<Record<string, string>>,
): SourceBinding {
  return {
    async bind(target, sources) {
      const current = await binding.bind(target, sources)
      return new Map([...current].map(([id, version]) => [id, versions[id] ?? version]))
    },
  }
}
