import { resolve } from 'node:path'
import { replaceFile } from '../../core/replace-file.js'
import type { Catalog } from '../../semantic/catalog.js'
import { formatMetricSnapshot, snapshotMetrics } from '../../semantic/metric-snapshot.js'
import { projectCatalog } from '../../semantic/project.js'
import type { CliContext } from '../context.js'
import { writeJson } from '../output.js'
import { readBuildInfo } from '../warehouse-state.js'

export interface SnapshotOptions {
  readonly out: string
}

/**
 * `revops snapshot --out values.json`: every metric of the catalog at month grain, in total and by
 * its view dimensions, answered from the warehouse, for `revops diff`. Non-zero when a metric
 * could not be answered (the file is still written, with the error in it).
 */
export async function snapshot(
  ctx: CliContext,
  options: SnapshotOptions,
  catalog: Catalog = projectCatalog(),
): Promise<number> {
  const out = resolve(options.out)
  const engine = await ctx.openEngine({ readOnly: true })
  try {
    const build = readBuildInfo(ctx.paths.artifacts)
    const taken = await snapshotMetrics({
      engine,
      catalog,
      schemaPrefix: ctx.schemaPrefix,
      ...(build ? { build } : {}),
      onMetric: (m, i, total) => ctx.progress(`snapshot ${i + 1}/${total}: ${m.id}`),
    })
    await replaceFile(out, formatMetricSnapshot(taken))
    const failed = taken.metrics.filter((m) => m.error !== undefined)
    const values = taken.metrics.reduce((n, m) => n + m.cuts.reduce((k, c) => k + c.rows.length, 0), 0)
    if (ctx.json)
      writeJson(ctx.stdout, {
        file: out,
        metrics: taken.metrics.length,
        values,
        failed: failed.map((m) => ({ metric: m.id, error: m.error })),
      })
    else ctx.stdout.write(`wrote ${out}: ${taken.metrics.length} metrics, ${values} values\n`)
    for (const m of failed) ctx.stderr.write(`revops: metric ${m.id} could not be answered: ${m.error}\n`)
    return failed.length === 0 ? 0 : 1
  } finally {
    await engine.close()
  }
}
