import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { z } from 'zod'
import { glueDatabaseName } from '../../core/config/names.js'
import { DIALECT_NAMES, type DialectName } from '../../core/sql/dialect.js'
import { getDialect } from '../../core/sql/dialects.js'
import type { Model } from '../../transforms/framework/define-model.js'
import type { CliContext } from '../context.js'
import { writeJson } from '../output.js'
import { loadModels, parseOptions, reportNoModels } from './build.js'

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

/** `revops compile`: every model's and test's SQL, one file each, without running anything. */
export async function compile(
  ctx: CliContext,
  raw: CompileCommandOptions,
  project: readonly Model[] | undefined = undefined,
): Promise<number> {
  const options = parseOptions(CompileCommandOptions, raw)
  const models = project ?? (await loadModels())
  if (reportNoModels(ctx, models)) return 0
  const dialectName = options.dialect ?? 'duckdb'
  const out = resolve(options.out ?? join(ctx.paths.dir, 'compiled', dialectName))
  const framework = await import('../../transforms/framework/index.js')
  const target = framework.Target.compileOnly(getDialect(dialectName), {
    ...DEPLOYMENT[dialectName],
    // A fixed folder name instead of a fresh one per build, so the output is reproducible.
    newId: () => '<build-id>',
  })
  const files = framework.compileProject(framework.createGraph(models), target)
  for (const file of files) {
    const path = join(out, file.path)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, framework.renderFile(file))
  }
  if (ctx.json) writeJson(ctx.stdout, { dialect: dialectName, out, files: files.map((f) => f.path) })
  else ctx.stdout.write(`wrote ${files.length} files of ${dialectName} SQL to ${out}\n`)
  return 0
}
