import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { z } from 'zod'
import { glueDatabaseName } from '../../core/config/names.js'
import { DIALECT_NAMES, type DialectName } from '../../core/sql/dialect.js'
import { getDialect } from '../../core/sql/dialects.js'
import type { Model } from '../../transforms/framework/define-model.js'
import type { CliContext } from '../context.js'
import { writeJson } from '../output.js'
import { loadModels, parseOptions } from './build.js'

export const CompileCommandOptions = z.object({
  dialect: z.enum(DIALECT_NAMES).optional(),
  out: z.string().optional(),
})
export type CompileCommandOptions = z.input<typeof CompileCommandOptions>

/**
 * Where each dialect's SQL runs: DuckDB is the local warehouse (schemas as named); Athena is the
 * AWS deployment, whose Glue databases carry the `revops_` prefix and whose tables live in the
 * warehouse bucket (`REVOPS_TABLE_LOCATION`, e.g. `s3://<bucket>`; a placeholder otherwise).
 */
const DEPLOYMENT: Record<DialectName, { schemaPrefix: string; tableLocation: string | undefined }> = {
  duckdb: { schemaPrefix: '', tableLocation: undefined },
  athena: {
    schemaPrefix: glueDatabaseName(''),
    tableLocation: process.env.REVOPS_TABLE_LOCATION ?? 's3://<warehouse-bucket>',
  },
}

/** The governed metric views (one file each) and the statements that refresh `metric_values`. */
async function metricViewFiles(dialectName: DialectName): Promise<{ path: string; sql: string }[]> {
  const [{ governedViews, metricValuesStatements, metricsSchema }, { projectCatalog }] = await Promise.all([
    import('../../semantic/governed-views.js'),
    import('../../semantic/project.js'),
  ])
  const dialect = getDialect(dialectName)
  const catalog = projectCatalog()
  const { schemaPrefix, tableLocation } = DEPLOYMENT[dialectName]
  const schema = metricsSchema({ schemaPrefix })
  const header = (what: string) => `-- ${what} (${dialectName})\n`
  return [
    ...governedViews(catalog, dialect, { schemaPrefix }).map((v) => ({
      path: `metrics/${v.name}.sql`,
      sql: `${header(`governed view ${schema}.${v.name}`)}${dialect.createOrReplaceView({ schema, name: v.name }, v.select)};\n`,
    })),
    {
      path: 'metrics/metric_values.sql',
      sql: `${header(`refresh of ${schema}.metric_values`)}${metricValuesStatements(catalog, dialect, {
        schemaPrefix,
        ...(tableLocation ? { location: `${tableLocation}/metrics/metric_values/<build-id>/` } : {}),
      }).join(';\n\n')};\n`,
    },
  ]
}

/** `revops compile`: every model's and test's SQL and every governed metric view, one file each, without running anything. */
export async function compile(
  ctx: CliContext,
  raw: CompileCommandOptions,
  project: readonly Model[] | undefined = undefined,
): Promise<number> {
  const options = parseOptions(CompileCommandOptions, raw)
  const models = project ?? (await loadModels())
  const dialectName = options.dialect ?? 'duckdb'
  const out = resolve(options.out ?? join(ctx.paths.dir, 'compiled', dialectName))
  const framework = await import('../../transforms/framework/index.js')
  const target = framework.Target.compileOnly(getDialect(dialectName), {
    ...DEPLOYMENT[dialectName],
    // A fixed folder name instead of a fresh one per build, so the output is reproducible.
    newId: () => '<build-id>',
  })
  const rendered = [
    ...framework
      .compileProject(framework.createGraph(models), target)
      .map((f) => ({ path: f.path, sql: framework.renderFile(f) })),
    ...(await metricViewFiles(dialectName)),
  ]
  for (const file of rendered) {
    const path = join(out, file.path)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, file.sql)
  }
  if (ctx.json) writeJson(ctx.stdout, { dialect: dialectName, out, files: rendered.map((f) => f.path) })
  else ctx.stdout.write(`wrote ${rendered.length} files of ${dialectName} SQL to ${out}\n`)
  return 0
}
