import { join, resolve } from 'node:path'
import { replaceFile } from '../../core/replace-file.js'
import { allDialects } from '../../core/sql/dialects.js'
import { docsSite } from '../../semantic/docs/docs-site.js'
import { projectLineage } from '../../semantic/docs/lineage.js'
import { projectCatalog } from '../../semantic/project.js'
import { createGraph } from '../../transforms/framework/graph.js'
import { models } from '../../transforms/models/index.js'
import { MART_CONTRACTS } from '../../transforms/models/marts/contracts.js'
import type { CliContext } from '../context.js'
import { writeJson } from '../output.js'

export interface DocsOptions {
  readonly out: string
}

/** `revops docs --out <folder>`: the metric catalog and lineage as static HTML (no warehouse needed). */
export async function docs(ctx: CliContext, options: DocsOptions): Promise<number> {
  const out = resolve(options.out)
  const written = await writeDocs(out)
  if (ctx.json) writeJson(ctx.stdout, { folder: out, ...written })
  else ctx.stdout.write(`wrote ${written.pages} pages to ${out}: open ${written.index}\n`)
  return 0
}

/** Writes the docs site into `out` (also used by `revops demo`). */
export async function writeDocs(out: string): Promise<{ index: string; pages: number; metrics: number }> {
  const catalog = projectCatalog()
  const files = docsSite({
    catalog,
    project: projectLineage(createGraph(models)),
    marts: Object.keys(MART_CONTRACTS),
    dialects: allDialects(),
    generatedAt: new Date(),
  })
  for (const file of files) await replaceFile(join(out, ...file.path.split('/')), file.content)
  return { index: join(out, 'index.html'), pages: files.length, metrics: catalog.metrics.length }
}
