import type { CatalogIssue } from '../../semantic/catalog.js'
import type { CliContext } from '../context.js'
import { writeJson } from '../output.js'

/**
 * `revops check`: every metric definition valid, documented, owned, tested, compiling on both
 * engines (Athena SQL parsed with the Trino grammar), and unique. Non-zero on any problem.
 */
export async function check(ctx: CliContext): Promise<number> {
  const problems: CatalogIssue[] = []
  ctx.progress('checking metric definitions…')
  try {
    const [{ checkSemantic }, { projectCatalog }, { metricCases }, { validateAthenaSql }] = await Promise.all(
      [
        import('../../semantic/check.js'),
        import('../../semantic/project.js'),
        import('../../semantic/metrics/cases/index.js'),
        import('../../core/sql/athena/athena-sql-check.js'),
      ],
    )
    const catalog = projectCatalog()
    problems.push(
      ...(await checkSemantic({
        models: catalog.models,
        metrics: catalog.metrics,
        cases: metricCases,
        validateAthenaSql,
      })),
    )
  } catch (error) {
    // A definition that does not even load (e.g. defineMetric rejecting a missing owner) is a problem to report.
    problems.push({
      subject: 'semantic layer',
      message: (error as Error).message.split('\n', 1)[0] ?? String(error),
    })
  }
  if (ctx.json) writeJson(ctx.stdout, { ok: problems.length === 0, problems })
  else if (problems.length === 0)
    ctx.stdout.write(
      'check passed: every metric is valid, documented, owned, tested and compiles for DuckDB and Athena\n',
    )
  else for (const p of problems) ctx.stderr.write(`${p.subject}: ${p.message}\n`)
  return problems.length === 0 ? 0 : 1
}
