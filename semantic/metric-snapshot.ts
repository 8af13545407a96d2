import { z } from 'zod'
import type { Engine, SqlValue } from '../core/engines/engine.js'
import { oneLine, UserError } from '../core/errors.js'
import { answerMetricQuery, type BuildInfo, type MartLocation } from './answer.js'
import type { Catalog } from './catalog.js'
import type { Metric } from './spec/metric.js'

const Cell = z.union([z.string(), z.number(), z.boolean(), z.null()])

/** One value: the period, the cut's dimension values, and the metric's value. */
export const SnapshotRow = z.record(z.string(), Cell)
export type SnapshotRow = z.infer<typeof SnapshotRow>

/** The metric over every period, either in total (no dimensions) or by its view dimensions. */
export const SnapshotCut = z.object({
  dimensions: z.array(z.string()),
  rows: z.array(SnapshotRow),
})
export type SnapshotCut = z.infer<typeof SnapshotCut>

export const SnapshotMetric = z.object({
  id: z.string(),
  label: z.string(),
  owner: z.string(),
  unit: z.string(),
  status: z.string(),
  version: z.string(),
  policy: z.string().nullable(),
  cuts: z.array(SnapshotCut),
  /** Why the metric could not be answered; a snapshot records it rather than stopping. */
  error: z.string().optional(),
})
export type SnapshotMetric = z.infer<typeof SnapshotMetric>

export const SNAPSHOT_FORMAT = 'revops-metric-snapshot'

/**
 * Every metric's values at month grain, as one JSON document: what `revops snapshot` writes and
 * `revops diff` compares. Deterministic for a given warehouse and catalog (no timestamps of its
 * own, rows sorted), so two snapshots differ only where a number differs.
 */
export const MetricSnapshot = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  version: z.literal(1),
  grain: z.literal('month'),
  engine: z.string(),
  build: z.object({ id: z.string(), finishedAt: z.string().optional() }).optional(),
  metrics: z.array(SnapshotMetric),
})
export type MetricSnapshot = z.infer<typeof MetricSnapshot>

/** The key of a row's value in a snapshot row; periods and dimensions are the other keys. */
export const VALUE_KEY = 'value'
const RESERVED = new Set(['period', VALUE_KEY])

export interface SnapshotContext extends MartLocation {
  readonly engine: Engine
  readonly catalog: Catalog
  readonly build?: BuildInfo
  /** Called before each metric is answered (progress on a terminal). */
  readonly onMetric?: (metric: Metric, index: number, total: number) => void
}

/**
 * Answers every metric of the catalog through the semantic layer (the path every surface uses):
 * month grain, in total and by the metric's view dimensions (the governed view's breakdown). A
 * metric that fails to answer is recorded with its error, and the others are still taken.
 */
export async function snapshotMetrics(context: SnapshotContext): Promise<MetricSnapshot> {
  const { catalog, engine } = context
  const location = {
    ...(context.environment ? { environment: context.environment } : {}),
    ...(context.schemaPrefix ? { schemaPrefix: context.schemaPrefix } : {}),
  }
  const metrics: SnapshotMetric[] = []
  for (const [index, metric] of catalog.metrics.entries()) {
    context.onMetric?.(metric, index, catalog.metrics.length)
    const governance = {
      id: metric.id,
      label: metric.label,
      owner: metric.owner,
      unit: metric.unit,
      status: metric.status,
      version: metric.version,
      policy: metric.policy ?? null,
    }
    const breakdowns =
      metric.type === 'cohort' || metric.viewDimensions.length === 0 ? [[]] : [[], metric.viewDimensions]
    try {
      const cuts: SnapshotCut[] = []
      for (const dimensions of breakdowns) {
        const clash = dimensions.find((d) => RESERVED.has(d))
        if (clash)
          throw new UserError(`metric ${metric.id}: a dimension named ${clash} cannot be snapshotted`)
        const answer = await answerMetricQuery(
          { metrics: [metric.id], dimensions: [...dimensions], grain: 'month' },
          { engine, catalog, ...location },
        )
        const columns = ['period', ...answer.dimensions]
        const rows = answer.rows.map((row) => {
          const out: SnapshotRow = {}
          for (const column of columns) out[column] = cell(row[column])
          out[VALUE_KEY] = cell(row[metric.id])
          return out
        })
        cuts.push({ dimensions: answer.dimensions.slice(), rows: rows.sort(byKey(columns)) })
      }
      metrics.push({ ...governance, cuts })
    } catch (error) {
      metrics.push({ ...governance, cuts: [], error: oneLine(error) })
    }
  }
  return {
    format: SNAPSHOT_FORMAT,
    version: 1,
    grain: 'month',
    engine: engine.dialect.name,
    ...(context.build ? { build: context.build } : {}),
    metrics,
  }
}

/** Reads a snapshot file's text; a file that is not one names itself and the first problem. */
export function parseMetricSnapshot(text: string, file: string): MetricSnapshot {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new UserError(`${file}: not JSON: ${oneLine(error)}`)
  }
  const parsed = MetricSnapshot.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new UserError(
      `${file}: not a metric snapshot: ${issue?.path.join('.') || 'document'}: ${issue?.message}`,
      { hint: 'make one with `revops snapshot --out <file.json>`' },
    )
  }
  return parsed.data
}

/** The JSON text of a snapshot: one row per line, so a snapshot also reads well in a text diff. */
export function formatMetricSnapshot(snapshot: MetricSnapshot): string {
  const { metrics, ...head } = snapshot
  const metricText = metrics.map((m) => {
    const { cuts, ...governance } = m
    const cutText = cuts.map(
      (c) =>
        `{"dimensions":${JSON.stringify(c.dimensions)},"rows":[${c.rows.length ? `\n${c.rows.map((r) => `      ${JSON.stringify(r)}`).join(',\n')}\n    ` : ''}]}`,
    )
    const body = JSON.stringify(governance).slice(0, -1)
    return `  ${body},"cuts":[${cutText.length ? `\n    ${cutText.join(',\n    ')}\n  ` : ''}]}`
  })
  const headText = JSON.stringify(head).slice(0, -1)
  return `${headText},"metrics":[${metricText.length ? `\n${metricText.join(',\n')}\n` : ''}]}\n`
}

function cell(value: SqlValue | undefined): z.infer<typeof Cell> {
  if (value === undefined) return null
  if (typeof value === 'bigint') return Number(value)
  return value
}

/** Orders rows by period, then by each dimension (nulls first), numbers numerically. */
function byKey(columns: readonly string[]) {
  return (a: SnapshotRow, b: SnapshotRow): number => {
    for (const column of columns) {
      const order = compareCells(a[column] ?? null, b[column] ?? null)
      if (order !== 0) return order
    }
    return 0
  }
}

export function compareCells(a: z.infer<typeof Cell>, b: z.infer<typeof Cell>): number {
  if (a === b) return 0
  if (a === null) return -1
  if (b === null) return 1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0
}
