import { z } from 'zod'
import type { Model } from '../../transforms/framework/define-model.js'
import type { CliContext } from '../context.js'
import { loadModels, parseOptions, progressLine, report, reportNoModels } from './build.js'

export const TestCommandOptions = z.object({
  select: z.array(z.string()).optional(),
  env: z.string().optional(),
})
export type TestCommandOptions = z.input<typeof TestCommandOptions>

/**
 * `revops test`: source freshness, the data tests of what the environment shows, and unit tests
 * of models on in-memory DuckDB. Non-zero when an error-severity check fails.
 */
export async function test(
  ctx: CliContext,
  raw: TestCommandOptions,
  project: readonly Model[] | undefined = undefined,
): Promise<number> {
  const options = parseOptions(TestCommandOptions, raw)
  const models = project ?? (await loadModels())
  if (reportNoModels(ctx, models)) return 0
  const [framework, engine] = await Promise.all([
    import('../../transforms/framework/index.js'),
    ctx.openEngine(),
  ])
  try {
    const results = await framework.testProject({
      target: new framework.Target(engine),
      graph: framework.createGraph(models),
      sources: framework.localLakeSources(ctx.paths.lake),
      ...(options.env ? { environment: options.env } : {}),
      ...(options.select?.length ? { select: options.select } : {}),
      artifacts: ctx.paths.artifacts,
      onEvent: (event) => ctx.progress(progressLine(event)),
    })
    report(ctx, results)
    return results.ok ? 0 : 1
  } finally {
    await engine.close()
  }
}
