import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Engine, QueryResult, Row, RunOptions, SqlValue } from '../../../core/engines/engine.js'
import { type BuildStepResult, buildStep } from '../../../handlers/build/build-step.js'
import {
  createGraph,
  localLakeSources,
  type Model,
  type ProjectGraph,
  Target,
} from '../../../transforms/framework/index.js'
import { brokenProject } from '../../fixtures/transforms/broken/index.js'
import { landDayOne, landDayTwo } from '../../fixtures/transforms/lake.js'
import { models } from '../../fixtures/transforms/models/index.js'
import { openWarehouse, type Warehouse } from '../../transforms/framework/support.js'

/*
 * The build Lambda's continuation logic, on the real DuckDB engine with the framework's test
 * project: Athena cannot run here, and what is tested (batches, deadlines, pinned versions,
 * failures) is the same framework code on either engine. The step's output goes through JSON
 * between steps, as it does through Step Functions.
 */

let w: Warehouse
let graph: ProjectGraph
/** The invocation's time left, as the step sees it. */
let left = 600_000
/** While set, the CREATE TABLE of matching models never finishes until the query is aborted. */
let stall: RegExp | undefined

beforeEach(async () => {
  w = await openWarehouse()
  left = 600_000
  stall = undefined
})
afterEach(async () => {
  await w.close()
})

/**
 * The recording DuckDB engine of the warehouse, except that a stalled statement waits for its
 * abort: it stands in for an Athena CTAS that takes longer than the invocation has left.
 */
function stallingEngine(inner: Engine): Engine {
  return {
    dialect: inner.dialect,
    close: () => inner.close(),
    run<R = Row>(sql: string, params?: readonly SqlValue[], options?: RunOptions): Promise<QueryResult<R>> {
      if (stall?.test(sql) && /^\s*create table/i.test(sql)) {
        return new Promise((_, reject) => {
          const signal = options?.signal
          if (!signal) return reject(new Error('a stalled query needs a signal'))
          signal.addEventListener('abort', () => reject(signal.reason), { once: true })
        })
      }
      return inner.run<R>(sql, params, options)
    },
  }
}

function step(input: unknown, settings: Record<string, number> = {}, project: readonly Model[] = models) {
  graph = createGraph(project)
  const engine = stallingEngine(w.target.engine)
  return buildStep(JSON.parse(JSON.stringify(input ?? {})), {
    target: (signal) => new Target(engine, { signal }),
    graph,
    sources: localLakeSources(join(w.dir, 'lake')),
    remainingMs: () => left,
    settings: { batchModels: 2, reserveMs: 60_000, stopMarginMs: 30_000, threads: 2, ...settings },
    // After each batch the invocation is "nearly over": one batch per step.
    onBatch: () => {
      left = 1_000
    },
  })
}

/** Runs steps until done, each a fresh invocation; returns every step's result. */
async function untilDone(first: unknown, settings?: Record<string, number>, project?: readonly Model[]) {
  const results: BuildStepResult[] = []
  let input = first
  for (let i = 0; i < 20; i++) {
    left = 600_000
    const result = await step(input, settings, project)
    results.push(result)
    if (result.done) return results
    input = result
  }
  throw new Error('the build did not finish in 20 steps')
}

const built = (project: readonly Model[]) =>
  createGraph(project)
    .models.filter((m) => m.materialized.kind !== 'ephemeral')
    .map((m) => m.name)

describe('a build step', () => {
  it('builds the project in batches across steps, each step stopping when the reserve is not left', async () => {
    await landDayOne(w.lake)
    const steps = await untilDone({})
    const names = built(models)
    expect(steps).toHaveLength(Math.ceil(names.length / 2))
    expect(steps.map((s) => s.run.invocations)).toEqual(steps.map((_, i) => i + 1))
    expect(steps.slice(0, -1).every((s) => !s.done && !s.ok)).toBe(true)
    const last = steps.at(-1) as BuildStepResult
    expect(last).toMatchObject({ done: true, ok: true })
    expect(last.run.counts).toEqual({ success: names.length })
    expect(last.run.failures).toEqual([])
    expect(await w.query('SELECT invoice_id, amount FROM marts.fct_invoices ORDER BY 1')).toEqual([
      { invoice_id: 'in_1', amount: 100 },
      { invoice_id: 'in_2', amount: 250 },
      { invoice_id: 'in_3', amount: 50 },
    ])
    // Built as one framework build would: a full build now reuses every model.
    const again = await w.build(models)
    expect(again.models.map((m) => m.status)).toEqual(again.models.map(() => 'reused'))
  })

  it('keeps the source versions of its start while raw files keep landing, and the next build sees them', async () => {
    await landDayOne(w.lake)
    const first = await step({})
    expect(first.done).toBe(false)
    await landDayTwo(w.lake)
    let result = first
    for (let i = 0; i < 10 && !result.done; i++) {
      left = 600_000
      result = await step(result)
    }
    expect(result).toMatchObject({ done: true, ok: true })
    expect(result.run.sourceVersions).toEqual(first.run.sourceVersions)
    const next = await untilDone({})
    expect(next.at(-1)?.run.sourceVersions).not.toEqual(first.run.sourceVersions)
    expect(await w.query('SELECT invoice_id, status FROM marts.fct_invoices ORDER BY 1')).toEqual([
      { invoice_id: 'in_1', status: 'paid' },
      { invoice_id: 'in_2', status: 'paid' },
      { invoice_id: 'in_3', status: 'paid' },
      { invoice_id: 'in_4', status: 'paid' },
    ])
  })

  it('skips what reads a failed model without running it, and ends not ok with the reasons', async () => {
    await landDayOne(w.lake)
    const project = [...models, ...brokenProject]
    const steps = await untilDone({}, { batchModels: 1 }, project)
    const last = steps.at(-1) as BuildStepResult
    expect(last).toMatchObject({ done: true, ok: false })
    const failures = Object.fromEntries(last.run.failures.map((f) => [f.model, f]))
    expect(failures.broken_amounts).toMatchObject({ status: 'error' })
    expect(failures.broken_amounts?.error).toMatch(/Conversion Error/)
    expect(failures.after_broken).toEqual({
      model: 'after_broken',
      status: 'skipped',
      error: 'upstream model broken_amounts did not succeed',
    })
    expect(failures.extra_column?.error).toMatch(/does not match its columns/)
    expect(w.statements.some((s) => s.includes('after_broken'))).toBe(false)
    expect(last.run.counts).toMatchObject({ error: 2, skipped: 1 })
    expect(last.run.counts.success).toBe(built(project).length - 3)
  })

  it('runs a batch cut off by the deadline again in halves, reusing the tables it finished', async () => {
    await landDayOne(w.lake)
    // The first step has 1.5 s; queries still running 1 s before its end are stopped.
    const deadline = Date.now() + 1_500
    left = 1_500
    stall = /dim_customers__/
    graph = createGraph(models)
    const engine = stallingEngine(w.target.engine)
    const cut = await buildStep(
      {},
      {
        target: (signal) => new Target(engine, { signal }),
        graph,
        sources: localLakeSources(join(w.dir, 'lake')),
        remainingMs: () => deadline - Date.now(),
        settings: { batchModels: 4, reserveMs: 60_000, stopMarginMs: 1_000, threads: 4 },
      },
    )
    expect(cut).toMatchObject({ done: false, ok: false })
    expect(cut.run.batchSize).toBe(2)
    expect(cut.run.remaining).toEqual(built(models))
    expect(cut.run.failures).toEqual([])
    expect(await w.query(`SELECT * FROM information_schema.tables WHERE table_schema = 'marts'`)).toEqual([])

    stall = undefined
    const steps = await untilDone(cut, { batchModels: 4 })
    expect(steps[0]?.run.counts).toEqual({ reused: 2 })
    expect(steps.at(-1)).toMatchObject({ done: true, ok: true })
    expect(steps.at(-1)?.run.counts).toEqual({ reused: 2, success: built(models).length - 2 })
  })

  it('fails a single model that cannot finish within one invocation instead of trying it forever', async () => {
    await landDayOne(w.lake)
    let result = await step({}, { batchModels: 1 })
    for (let i = 0; result.run.remaining[0] !== 'dim_customers'; i++) {
      if (i > 10) throw new Error('dim_customers never came up')
      left = 600_000
      result = await step(result, { batchModels: 1 })
    }
    const deadline = Date.now() + 1_200
    stall = /dim_customers__/
    const engine = stallingEngine(w.target.engine)
    const stuck = await buildStep(JSON.parse(JSON.stringify(result)), {
      target: (signal) => new Target(engine, { signal }),
      graph: createGraph(models),
      sources: localLakeSources(join(w.dir, 'lake')),
      remainingMs: () => deadline - Date.now(),
      settings: { batchModels: 1, reserveMs: 60_000, stopMarginMs: 1_000, threads: 1 },
    })
    expect(stuck.run.remaining).not.toContain('dim_customers')
    expect(stuck.run.failures).toEqual([
      {
        model: 'dim_customers',
        status: 'error',
        error: expect.stringMatching(/^did not finish within one invocation \(\d+ s\)$/),
      },
    ])
  })

  it('selects on the first step: models downstream of one, or what prod shows at other code', async () => {
    await landDayOne(w.lake)
    const selected = (await untilDone({ select: 'fct_invoices+' })).at(-1) as BuildStepResult
    expect(selected).toMatchObject({ done: true, ok: false })
    // Nothing reads fct_invoices as an input; its upstream is not built at its fingerprint, and the
    // framework says so, as `revops build --select fct_invoices+` would.
    expect(selected.run.counts).toEqual({ error: 1 })
    expect(selected.run.failures).toEqual([
      {
        model: 'fct_invoices',
        status: 'error',
        error: expect.stringMatching(/upstream model stg_\w+ is not built at its current fingerprint/),
      },
    ])

    await untilDone({})
    const modified = await step({ select: ['state:modified'] })
    expect(modified).toMatchObject({ done: true, ok: true })
    expect(modified.run.counts).toEqual({})
  })

  it('refuses a continuation that is not one, naming the field', async () => {
    await expect(step({ run: { id: 'x', remaining: 'all' } })).rejects.toThrow(/^build step input: run\./)
    await expect(step('go')).rejects.toThrow(/build step input/)
  })
})
