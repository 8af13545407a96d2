import { z } from 'zod'
import { UserError } from '../../core/errors.js'
import type { TestResult } from '../../transforms/framework/data-tests.js'
import type { Model } from '../../transforms/framework/define-model.js'
import type { ModelResult, RunEvent, RunResults } from '../../transforms/framework/run-results.js'
import type { CliContext } from '../context.js'
import { formatTable, writeJson } from '../output.js'

/** The command line's options, parsed at the boundary. */
export const BuildCommandOptions = z.object({
  select: z.array(z.string()).optional(),
  fullRefresh: z.boolean().optional(),
  env: z.string().optional(),
  threads: z.coerce.number().int().min(1, { message: '--threads must be a whole number >= 1' }).default(4),
})
export type BuildCommandOptions = z.input<typeof BuildCommandOptions>

/** The project's models (transforms/models/index.ts). */
export async function loadModels(): Promise<readonly Model[]> {
  return (await import('../../transforms/models/index.js')).models
}

/** Says so plainly when the registry is empty, and returns true then. */
export function reportNoModels(ctx: CliContext, models: readonly Model[]): boolean {
  if (models.length > 0) return false
  const message = 'no models: transforms/models/index.ts lists none'
  if (ctx.json) writeJson(ctx.stdout, { models: [], checks: [], ok: true, message })
  else ctx.stdout.write(`${message}\n`)
  return true
}

/** `revops build`: builds the selected models into the environment and runs their data tests. */
export async function build(
  ctx: CliContext,
  raw: BuildCommandOptions,
  project: readonly Model[] | undefined = undefined,
): Promise<number> {
  const options = parseOptions(BuildCommandOptions, raw)
  const models = project ?? (await loadModels())
  if (reportNoModels(ctx, models)) return 0
  const [framework, engine] = await Promise.all([
    import('../../transforms/framework/index.js'),
    ctx.openEngine(),
  ])
  try {
    const results = await framework.build({
      target: new framework.Target(engine),
      graph: framework.createGraph(models),
      // The CLI builds the local warehouse: its raw tables read the lake folder under --dir.
      sources: framework.localLakeSources(ctx.paths.lake),
      ...(options.env ? { environment: options.env } : {}),
      ...(options.select?.length ? { select: options.select } : {}),
      fullRefresh: options.fullRefresh ?? false,
      threads: options.threads,
      artifacts: ctx.paths.artifacts,
      onEvent: (event) => ctx.progress(progressLine(event)),
    })
    report(ctx, results)
    return results.ok ? 0 : 1
  } finally {
    await engine.close()
  }
}

/** Parses a command's options with zod; a bad value is a one-line usage error. */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw)
  if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => i.message).join('; '))
  return parsed.data
}

/** One progress line per event, for a terminal. */
export function progressLine(event: RunEvent): string {
  if (event.kind === 'model_started') return `[${event.index}/${event.total}] ${event.model} …`
  if (event.kind === 'check_finished') {
    return `${event.result.status.toUpperCase().padEnd(7)} ${event.result.model} ${event.result.name}`
  }
  const r = event.result
  const detail =
    r.error ??
    [r.materialized, r.rows === null ? undefined : `${r.rows} rows`, `${r.seconds.toFixed(2)}s`]
      .filter(Boolean)
      .join(', ')
  return `[${event.index}/${event.total}] ${r.status.toUpperCase()} ${r.model} (${detail})`
}

/** The run as a table, then every failing check with its rows; JSON with --json. */
export function report(ctx: CliContext, results: RunResults): void {
  if (ctx.json) {
    writeJson(ctx.stdout, results)
    return
  }
  if (results.models.length > 0) {
    ctx.stdout.write(
      `${formatTable(
        ['model', 'status', 'materialized', 'rows', 'seconds', 'physical'],
        results.models.map((m) => [m.model, m.status, m.materialized, m.rows, round(m.seconds), m.physical]),
      )}\n`,
    )
  }
  const checks = [...results.models.flatMap((m) => m.tests), ...results.checks]
  for (const m of results.models.filter((r) => r.error)) ctx.stderr.write(`${m.model}: ${m.error}\n`)
  for (const check of checks.filter((c) => c.status !== 'pass')) writeCheck(ctx, check)
  ctx.stdout.write(`${summary(results.models, checks)}\n`)
}

function writeCheck(ctx: CliContext, check: TestResult): void {
  ctx.stdout.write(
    `\n${check.status.toUpperCase()} ${check.model} ${check.name} (${check.kind}, ${check.severity})${check.message ? `: ${check.message}` : ''}\n`,
  )
  const first = check.rows[0]
  if (first) {
    const columns = Object.keys(first)
    ctx.stdout.write(
      `${formatTable(
        columns,
        check.rows.map((row) => columns.map((c) => row[c])),
      )}\n`,
    )
    if (check.failures > check.rows.length)
      ctx.stdout.write(`(first ${check.rows.length} of ${check.failures})\n`)
  }
}

function summary(models: readonly ModelResult[], checks: readonly TestResult[]): string {
  const count = (items: readonly { status: string }[]) => {
    const by = new Map<string, number>()
    for (const item of items) by.set(item.status, (by.get(item.status) ?? 0) + 1)
    return [...by].map(([status, n]) => `${n} ${status}`).join(', ')
  }
  const parts = [
    models.length ? `${models.length} models: ${count(models)}` : '',
    checks.length ? `${checks.length} checks: ${count(checks)}` : '',
  ]
  return parts.filter(Boolean).join('; ') || 'nothing selected'
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100
}
