import { mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
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
  const catalog = projectCatalog()
  const files = docsSite({
    catalog,
    project: projectLineage(createGraph(models)),
    marts: Object.keys(MART_CONTRACTS),
    dialects: allDialects(),
    generatedAt: new Date(),
  })
  for (const file of files) {
    const path = join(out, ...file.path.split('/'))
    await mkdir(dirname(path), { recursive: true })
    const temporary = `${path}.${process.pid}.tmp`
    await writeFile(temporary, file.content)
    await rename(temporary, path)
  }
  const index = join(out, 'index.html')
  if (ctx.json)
    writeJson(ctx.stdout, { folder: out, index, pages: files.length, metrics: catalog.metrics.length })
  else ctx.stdout.write(`wrote ${files.length} pages to ${out}: open ${index}\n`)
  return 0
}
