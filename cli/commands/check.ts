import type { SqlValidation } from '../../core/sql/sql-grammar.js'
import type { CatalogIssue } from '../../semantic/catalog.js'
import type { Model } from '../../transforms/framework/index.js'
import type { CliContext } from '../context.js'
import { writeJson } from '../output.js'
import { loadModels } from './build.js'

/**
 * `revops check`, for pull requests: every model and metric definition valid without running
 * anything. Models: the DAG forms (no cycle, no unknown input, unique names) and every statement
 * of a build compiles for DuckDB and for Athena, where it must pass the Trino grammar and Athena's
 * limits. Metrics: valid, documented, owned, tested, compiling on both engines, unique, and reading
 * marts the project builds. Non-zero on any problem.
 */
export async function check(
  ctx: CliContext,
  project: readonly Model[] | undefined = undefined,
): Promise<number> {
  const problems: CatalogIssue[] = []
  const { validateAthenaSql } = await import('../../core/sql/athena/athena-sql-check.js')
  ctx.progress('checking models…')
  const models = await attempt(problems, 'models', async () => {
    const { graph, issues } = await checkModels(project ?? (await loadModels()), validateAthenaSql)
    problems.push(...issues)
    return graph.models
  })
  ctx.progress('checking metric definitions…')
  await attempt(problems, 'semantic layer', async () => {
    const [{ checkSemantic }, { projectCatalog }, { metricCases }] = await Promise.all([
      import('../../semantic/check.js'),
      import('../../semantic/project.js'),
      import('../../semantic/metrics/cases/index.js'),
    ])
    const catalog = projectCatalog()
    problems.push(
      ...(await checkSemantic({
        models: catalog.models,
        metrics: catalog.metrics,
        cases: metricCases,
        validateAthenaSql,
      })),
    )
    if (models) {
      const marts = new Set(models.filter((m) => m.layer === 'marts').map((m) => m.name))
      for (const model of catalog.models)
        if (!marts.has(model.table))
          problems.push({
            subject: `semantic model ${model.name}`,
            message: `reads mart ${model.table}, which no model in transforms/models/index.ts builds`,
          })
    }
  })
  if (ctx.json) writeJson(ctx.stdout, { ok: problems.length === 0, models: models?.length ?? 0, problems })
  else if (problems.length === 0)
    ctx.stdout.write(
      `check passed: ${models?.length ?? 0} models compile for DuckDB and Athena; every metric is valid, documented, owned, tested and compiles for both\n`,
    )
  else for (const p of problems) ctx.stderr.write(`${p.subject}: ${p.message}\n`)
  return problems.length === 0 ? 0 : 1
}

/** Every statement a build of the project would run, compiled for both engines; Athena's checked. */
async function checkModels(
  models: readonly Model[],
  validateAthenaSql: (sql: string) => Promise<SqlValidation>,
) {
  const [framework, { getDialect }] = await Promise.all([
    import('../../transforms/framework/index.js'),
    import('../../core/sql/dialects.js'),
  ])
  const graph = framework.createGraph(models)
  const problems: CatalogIssue[] = []
  for (const name of ['duckdb', 'athena'] as const) {
    const target = framework.Target.compileOnly(getDialect(name), {
      schemaPrefix: 'revops_',
      tableLocation: 's3://warehouse/tables',
      newId: () => 'check',
    })
    const files = framework.compileProject(graph, target)
    if (name !== 'athena') continue
    for (const file of files)
      for (const sql of file.statements) {
        const { errors } = await validateAthenaSql(sql)
        for (const e of errors)
          problems.push({ subject: file.path, message: `Athena: line ${e.line}:${e.column}: ${e.message}` })
      }
  }
  return { graph, issues: problems }
}

/** Runs one part of the check; a definition that does not even load is a problem to report, not a crash. */
async function attempt<T>(
  problems: CatalogIssue[],
  subject: string,
  work: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await work()
  } catch (error) {
    problems.push({ subject, message: (error as Error).message.split('\n', 1)[0] ?? String(error) })
    return undefined
  }
}
