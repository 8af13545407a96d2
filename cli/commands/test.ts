import { z } from 'zod'
import type { Model } from '../../transforms/framework/define-model.js'
import type { CliContext } from '../context.js'
import { writeJson } from '../output.js'
import { loadModels, parseOptions, progressLine, report, reportNoModels } from './build.js'

export const TestCommandOptions = z.object({
  select: z.array(z.string()).optional(),
  env: z.string().optional(),
})
export type TestCommandOptions = z.input<typeof TestCommandOptions>

/**
 * `revops test`: source freshness, the data tests of what the environment shows, unit tests of
 * models, and the metric cases of the semantic layer, all on DuckDB. Non-zero when an
 * error-severity check or a metric case fails.
 */
export async function test(
  ctx: CliContext,
  raw: TestCommandOptions,
  project: readonly Model[] | undefined = undefined,
): Promise<number> {
  const options = parseOptions(TestCommandOptions, raw)
  const models = project ?? (await loadModels())
  const modelResults = models.length > 0 ? await testModels(ctx, options, models) : undefined
  const metricResults = await testMetrics(ctx)
  const metricsOk = metricResults.every((r) => r.ok)
  if (ctx.json) {
    // One JSON object: the framework's results with the metric cases beside them.
    writeJson(ctx.stdout, {
      ...(modelResults ?? { models: [], checks: [], ok: true }),
      metric_cases: metricResults.map(({ name, ok, problems }) => ({ name, ok, problems })),
    })
  } else {
    if (modelResults) report(ctx, modelResults)
    else reportNoModels(ctx, models)
    for (const r of metricResults.filter((x) => !x.ok)) {
      ctx.stdout.write(`FAIL metric case: ${r.name}\n${r.problems.map((p) => `  ${p}`).join('\n')}\n`)
    }
    const failed = metricResults.filter((r) => !r.ok).length
    ctx.stdout.write(
      `${metricResults.length} metric cases: ${metricResults.length - failed} passed${failed ? `, ${failed} failed` : ''}\n`,
    )
  }
  return (modelResults?.ok ?? true) && metricsOk ? 0 : 1
}

/** Every metric case (semantic/metrics/cases) on in-memory DuckDB. */
async function testMetrics(ctx: CliContext) {
  const [{ projectCatalog }, { metricCases }, { runMetricCase }] = await Promise.all([
    import('../../semantic/project.js'),
    import('../../semantic/metrics/cases/index.js'),
    import('../../semantic/testing/run-metric-case.js'),
  ])
  const catalog = projectCatalog()
  const results = []
  for (const metricCase of metricCases) {
    ctx.progress(`metric case: ${metricCase.name}`)
    results.push(await runMetricCase(catalog, metricCase))
  }
  return results
}

async function testModels(
  ctx: CliContext,
  options: z.output<typeof TestCommandOptions>,
  models: readonly Model[],
) {
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
    return results
  } finally {
    await engine.close()
  }
}
