import { mkdirSync } from 'node:fs'
import type { CliContext } from '../context.js'
import { formatTable } from '../output.js'

/**
 * The main job. Until the pipeline stages exist, it creates the local warehouse, proves the
 * embedded engine answers, and says plainly which stages are still to come.
 */
export async function demo(ctx: CliContext, _options: Record<string, unknown>): Promise<number> {
  mkdirSync(ctx.paths.lake, { recursive: true })
  mkdirSync(ctx.paths.artifacts, { recursive: true })
  const engine = await ctx.openEngine()
  try {
    const { rows } = await engine.run<{ version: string }>('SELECT version() AS version', [], {
      label: 'engine check',
    })
    const stages = [
      ['warehouse', ctx.paths.dir, 'ready'],
      ['engine', `DuckDB ${rows[0]?.version ?? '?'} at ${ctx.paths.duckdb}`, 'ready'],
      ['demo exports', 'generate the demo company', 'not built yet'],
      ['land', 'exports into the lake', 'not built yet'],
      ['build', 'staging, marts and data tests', 'not built yet'],
      ['scorecard', 'KPIs from the semantic layer', 'not built yet'],
    ]
    if (ctx.json) {
      ctx.stdout.write(
        `${JSON.stringify({ stages: stages.map(([stage, detail, status]) => ({ stage, detail, status })) })}\n`,
      )
    } else {
      ctx.stdout.write(`${formatTable(['stage', 'detail', 'status'], stages)}\n`)
    }
    return 0
  } finally {
    await engine.close()
  }
}
