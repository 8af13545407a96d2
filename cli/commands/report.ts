import { existsSync, readFileSync } from 'node:fs'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { z } from 'zod'
import { UserError } from '../../core/errors.js'
import type { BuildInfo } from '../../semantic/answer.js'
import { projectCatalog } from '../../semantic/project.js'
import { retentionReport } from '../../semantic/reports/retention-report.js'
import type { CliContext } from '../context.js'
import { writeJson } from '../output.js'
import { readBuildInfo } from '../warehouse-state.js'

export interface ReportOptions {
  readonly out: string
  readonly from?: string
  readonly to?: string
  readonly by?: string
}

const REPORTS = ['retention'] as const

/** `revops report retention --out report.html [--from] [--to] [--by segment]` (CONTRACT.md). */
export async function report(ctx: CliContext, kind: string, options: ReportOptions): Promise<number> {
  if (!(REPORTS as readonly string[]).includes(kind)) {
    throw new UserError(`unknown report ${JSON.stringify(kind)}`, { hint: `reports: ${REPORTS.join(', ')}` })
  }
  const out = resolve(options.out)
  const engine = await ctx.openEngine({ readOnly: true })
  try {
    ctx.progress('answering the report’s metrics…')
    const build = buildOf(ctx.paths.artifacts)
    const { html, data } = await retentionReport(
      { engine, catalog: projectCatalog(), ...(build ? { build } : {}) },
      {
        ...(options.from ? { from: options.from } : {}),
        ...(options.to ? { to: options.to } : {}),
        ...(options.by ? { by: options.by } : {}),
      },
    )
    await mkdir(dirname(out), { recursive: true })
    const temporary = `${out}.${process.pid}.tmp`
    await writeFile(temporary, html)
    await rename(temporary, out)
    const summary = {
      report: kind,
      file: out,
      from: data.range.from,
      to: data.range.to,
      months: data.bridge.length,
      latest_month_with_data: data.latestMonthWithData,
      ...(data.breakdown ? { by: data.breakdown.dimension } : {}),
    }
    if (ctx.json) writeJson(ctx.stdout, summary)
    else
      ctx.stdout.write(
        `wrote ${out}: revenue retention ${data.range.from} to ${data.range.to} (${summary.months} months, data through ${data.latestMonthWithData.slice(0, 7)})\n`,
      )
    return 0
  } finally {
    await engine.close()
  }
}

const RunFinished = z.looseObject({ finishedAt: z.string().optional() })

/** The last build, with its finish time from run_results.json (written as `finishedAt` by the framework). */
function buildOf(artifacts: string): BuildInfo | undefined {
  const build = readBuildInfo(artifacts)
  if (!build || build.finishedAt) return build
  const file = join(artifacts, 'run_results.json')
  const parsed = existsSync(file) ? RunFinished.safeParse(JSON.parse(readFileSync(file, 'utf8'))) : undefined
  const finishedAt = parsed?.success ? parsed.data.finishedAt : undefined
  return finishedAt ? { ...build, finishedAt } : build
}
