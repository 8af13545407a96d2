import { resolve } from 'node:path'
import type { Engine } from '../../core/engines/engine.js'
import { UserError } from '../../core/errors.js'
import { replaceFile } from '../../core/replace-file.js'
import { projectCatalog } from '../../semantic/project.js'
import { type RetentionReport, retentionReport } from '../../semantic/reports/retention-report.js'
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
    const { data } = await writeRetentionReport(engine, ctx.paths.artifacts, out, options)
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

/** Answers the retention report on an open engine and writes it to `out` (also used by `revops demo`). */
export async function writeRetentionReport(
  engine: Engine,
  artifacts: string,
  out: string,
  options: Omit<ReportOptions, 'out'> = {},
): Promise<RetentionReport> {
  const build = readBuildInfo(artifacts)
  const report = await retentionReport(
    { engine, catalog: projectCatalog(), ...(build ? { build } : {}) },
    {
      ...(options.from ? { from: options.from } : {}),
      ...(options.to ? { to: options.to } : {}),
      ...(options.by ? { by: options.by } : {}),
    },
  )
  await replaceFile(out, report.html)
  return report
}
