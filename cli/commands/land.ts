import { UserError } from '../../core/errors.js'
import { LakeStoreError } from '../../core/lake/lake-store.js'
import { LocalLakeStore } from '../../core/lake/local-lake-store.js'
import { landFiles } from '../../sources/landing/land-files.js'
import type { LandSummary } from '../../sources/landing/land-report.js'
import { parseSource } from '../../sources/registry.js'
import type { CliContext } from '../context.js'
import { formatTable, writeJson } from '../output.js'

/** Examples printed per quarantine reason (the JSON output and the quarantine itself have more). */
const EXAMPLES = 3

/**
 * `revops land <source> --from <path>`: lands export files into the local lake and prints what
 * landed, what had landed before (duplicate) and what went to quarantine, and why. Exits non-zero
 * only when nothing could be read.
 */
export async function land(
  ctx: CliContext,
  args: string[],
  options: Record<string, unknown>,
): Promise<number> {
  const source = parseSource(args[0] ?? '')
  const from = typeof options.from === 'string' ? options.from : ''
  if (from === '') throw new UserError('--from needs a folder or file of vendor exports')
  const store = new LocalLakeStore(ctx.paths.lake)
  let summary: LandSummary
  try {
    summary = await landFiles(store, { source, from, onProgress: (message) => ctx.progress(message) })
  } catch (error) {
    if (error instanceof LakeStoreError) {
      throw new UserError(`land stopped: ${error.message}`, {
        hint: 're-run the same command: what landed stays, and the rest lands exactly once',
        cause: error,
      })
    }
    throw error
  }
  if (ctx.json) writeJson(ctx.stdout, summary)
  else ctx.stdout.write(formatSummary(summary, from))
  if (!summary.read_anything) {
    ctx.stderr.write(`revops: nothing could be read from ${from}\n`)
    return 1
  }
  return 0
}

function formatSummary(summary: LandSummary, from: string): string {
  const rows = summary.entities.map((e) => [
    `${summary.source}/${e.entity}`,
    e.files,
    e.landed,
    e.duplicate,
    e.quarantined,
  ])
  const unknown = summary.files.filter((f) => f.entity === null)
  if (unknown.length > 0) rows.push(['(unknown files)', unknown.length, 0, 0, unknown.length])
  rows.push([
    'total',
    summary.files.length,
    summary.totals.landed,
    summary.totals.duplicate,
    summary.totals.quarantined,
  ])
  const lines = [
    `landed ${summary.source} from ${from} into ${summary.lake}`,
    formatTable(['entity', 'files', 'landed', 'duplicate', 'quarantined'], rows),
  ]
  if (summary.quarantine.length > 0) {
    lines.push(`quarantined (records with file, line and reason under quarantine/source=${summary.source}/):`)
    for (const reason of summary.quarantine) {
      const examples = reason.examples
        .slice(0, EXAMPLES)
        .map((e) => `${e.file}${e.line === null ? '' : `:${e.line}`} ${e.reason}`)
      const more = reason.count > examples.length ? '; …' : ''
      lines.push(`  ${reason.reason_class} (${reason.count}): ${examples.join('; ')}${more}`)
    }
  }
  return `${lines.join('\n')}\n`
}
