import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { oneLine, UserError } from '../../core/errors.js'
import { diffMetricSnapshots } from '../../semantic/metric-diff.js'
import { type MetricSnapshot, parseMetricSnapshot } from '../../semantic/metric-snapshot.js'
import type { CliContext } from '../context.js'
import { DIFF_FORMATS, formatMetricDiff } from '../metric-diff-format.js'
import { parseOptions } from './build.js'

const DiffOptions = z.object({
  format: z.enum(DIFF_FORMATS).default('table'),
  limit: z.coerce.number().int().positive({ message: '--limit must be a positive whole number' }).optional(),
  beforeName: z.string().min(1).optional(),
  afterName: z.string().min(1).optional(),
})

/**
 * `revops diff before.json after.json [--format table|json|markdown]`: the metric values that
 * differ between two snapshots (metric, period, dimension values, before, after, change), plus
 * metrics added, removed or re-governed. Exit 0 whether or not anything changed.
 */
export async function diff(
  ctx: CliContext,
  files: readonly string[],
  raw: Record<string, unknown>,
): Promise<number> {
  const options = parseOptions(DiffOptions, raw)
  const [beforeFile, afterFile] = files as [string, string]
  const [before, after] = await Promise.all([read(beforeFile), read(afterFile)])
  const result = diffMetricSnapshots(before, after)
  const format = ctx.json ? 'json' : options.format
  ctx.stdout.write(
    formatMetricDiff(result, format, {
      ...(options.limit ? { limit: options.limit } : {}),
      ...(options.beforeName ? { beforeName: options.beforeName } : {}),
      ...(options.afterName ? { afterName: options.afterName } : {}),
    }),
  )
  return 0
}

async function read(file: string): Promise<MetricSnapshot> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new UserError(`cannot read snapshot ${file}: ${oneLine(error)}`)
  }
  return parseMetricSnapshot(text, file)
}
