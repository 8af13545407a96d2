import type { Row } from '../../core/engines/engine.js'
import { UserError } from '../../core/errors.js'
import { answerMetricQuery, type MetricAnswer } from '../../semantic/answer.js'
import { projectCatalog } from '../../semantic/project.js'
import { parseFilter } from '../../semantic/spec/query.js'
import type { CliContext } from '../context.js'
import { formatTable } from '../output.js'
import { readBuildInfo } from '../warehouse-state.js'

export interface QueryOptions {
  readonly by?: string
  readonly grain?: string
  readonly from?: string
  readonly to?: string
  readonly where?: string[]
  readonly format?: 'table' | 'json' | 'csv'
  readonly provenance?: boolean
}

const list = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

/** `revops query mrr,nrr --by segment --grain quarter --format json` (CONTRACT.md). */
export async function query(ctx: CliContext, metrics: string, options: QueryOptions): Promise<number> {
  const filters = (options.where ?? []).map((w) => {
    try {
      return parseFilter(w)
    } catch (error) {
      throw new UserError((error as Error).message)
    }
  })
  const engine = await ctx.openEngine({ readOnly: true })
  try {
    const answer = await answerMetricQuery(
      {
        metrics: list(metrics),
        dimensions: list(options.by),
        grain: options.grain as never,
        ...(options.from ? { from: options.from } : {}),
        ...(options.to ? { to: options.to } : {}),
        filters,
      },
      { engine, catalog: projectCatalog(), schemaPrefix: ctx.schemaPrefix, ...buildOf(ctx) },
    )
    const format = ctx.json ? 'json' : (options.format ?? 'table')
    ctx.stdout.write(render(answer, format, options.provenance === true))
    return 0
  } finally {
    await engine.close()
  }
}

function buildOf(ctx: CliContext) {
  const build = readBuildInfo(ctx.paths.artifacts)
  return build ? { build } : {}
}

function render(answer: MetricAnswer, format: 'table' | 'json' | 'csv', provenance: boolean): string {
  const columns = ['period', ...answer.dimensions, ...answer.metrics]
  if (format === 'json') {
    const body = {
      metrics: answer.metrics,
      grain: answer.grain,
      rows: answer.rows,
      ...(provenance ? { provenance: answer.provenance } : {}),
    }
    return `${JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))}\n`
  }
  if (format === 'csv')
    return `${[columns.join(','), ...answer.rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\n')}\n`
  const table = formatTable(
    columns,
    answer.rows.map((r: Row) => columns.map((c) => r[c])),
  )
  if (!provenance) return `${table}\n`
  const p = answer.provenance
  const definitions = Object.entries(p.definitions)
    .map(([id, d]) => `${id} v${d.version} (${d.status}${d.policy ? `, ${d.policy}` : ''})`)
    .join('; ')
  return `${table}\n\n-- ${definitions}\n-- ${p.dialect}, environment ${p.environment}${p.build ? `, build ${p.build.id}` : ''}, ${Math.round(p.elapsedMs)} ms\n${p.sql}\n`
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = String(value)
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}
