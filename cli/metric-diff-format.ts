import type { MetricChange, MetricDiff, ValueChange } from '../semantic/metric-diff.js'
import { formatTable } from './output.js'

export const DIFF_FORMATS = ['table', 'json', 'markdown'] as const
export type DiffFormat = (typeof DIFF_FORMATS)[number]

/** GitHub refuses comments over 65,536 characters; the markdown stays under this with room to spare. */
export const MARKDOWN_BUDGET = 60_000
/** Changed values shown per metric and breakdown in markdown unless told otherwise (the JSON has them all). */
export const MARKDOWN_ROWS_PER_CUT = 25

export interface DiffFormatOptions {
  /** Changed values shown per metric and breakdown (its total, its view dimensions). */
  readonly limit?: number
  /** Names of the two sides, e.g. `main` and `feature/x`. */
  readonly beforeName?: string
  readonly afterName?: string
}

export function formatMetricDiff(
  diff: MetricDiff,
  format: DiffFormat,
  options: DiffFormatOptions = {},
): string {
  if (format === 'json') return `${JSON.stringify(diff, null, 2)}\n`
  if (format === 'markdown') return markdown(diff, options)
  return table(diff, options)
}

/** One line saying what changed, for a terminal or a comment's first line. */
export function diffHeadline(diff: MetricDiff): string {
  const changed = diff.metrics.filter((m) => m.values > 0)
  const parts = [
    changed.length === 0
      ? 'no metric values changed'
      : `${count(diff.changes.length, 'value')} changed in ${count(changed.length, 'metric')}`,
  ]
  const redefined = diff.metrics.filter((m) => m.values === 0 && (m.definition.length > 0 || m.error))
  if (redefined.length) parts.push(`${count(redefined.length, 'metric')} with changed governance only`)
  if (diff.added.length) parts.push(`${count(diff.added.length, 'metric')} added`)
  if (diff.removed.length) parts.push(`${count(diff.removed.length, 'metric')} removed`)
  return parts.join('; ')
}

function table(diff: MetricDiff, options: DiffFormatOptions): string {
  const lines = [diffHeadline(diff)]
  for (const m of diff.added) lines.push(`added   ${m.id} (${m.label}, v${m.version}, ${m.status})`)
  for (const m of diff.removed) lines.push(`removed ${m.id} (${m.label}, v${m.version}, ${m.status})`)
  for (const m of diff.metrics) {
    const notes = metricNotes(m)
    if (notes.length) lines.push(`${m.metric}: ${notes.join('; ')}`)
  }
  if (diff.changes.length > 0) {
    const units = new Map(diff.metrics.map((m) => [m.metric, m.unit]))
    const shown = limitPerCut(diff.changes, options.limit)
    lines.push(
      '',
      formatTable(
        [
          'metric',
          'period',
          'dimensions',
          options.beforeName ?? 'before',
          options.afterName ?? 'after',
          'change',
        ],
        shown.rows.map((c) => {
          const [before, after] = showPair(c, units.get(c.metric) ?? 'count')
          return [
            c.metric,
            c.period,
            dimensionText(c),
            before,
            after,
            showChange(c, units.get(c.metric) ?? 'count'),
          ]
        }),
      ),
    )
    if (shown.hidden > 0)
      lines.push(`… ${count(shown.hidden, 'more changed value')} (--limit, or --format json for all)`)
  }
  return `${lines.join('\n')}\n`
}

function markdown(diff: MetricDiff, options: DiffFormatOptions): string {
  const limit = options.limit ?? MARKDOWN_ROWS_PER_CUT
  const sides =
    options.beforeName && options.afterName
      ? ` (\`${esc(options.beforeName)}\` → \`${esc(options.afterName)}\`)`
      : ''
  const head: string[] = [`### Metric diff${sides}`, '', `**${diffHeadline(diff)}**`, '']
  if (diff.metrics.length > 0) {
    head.push(
      '| metric | values changed | periods | largest change | definition |',
      '| --- | --: | --- | --- | --- |',
      ...diff.metrics.map((m) => {
        const changes = diff.changes.filter((c) => c.metric === m.metric)
        const periods = changes.map((c) => c.period).sort()
        const range = periods.length ? `${periods[0]} … ${periods.at(-1)}` : ''
        const largest = largestChange(changes)
        return `| \`${m.metric}\` ${esc(m.label)} | ${m.values} | ${range} | ${largest ? esc(`${showChange(largest, m.unit)} (${largest.period}${dimensionSuffix(largest)})`) : ''} | ${esc(metricNotes(m).join('; '))} |`
      }),
      '',
    )
  }
  for (const m of diff.added) head.push(`- added: \`${m.id}\` ${esc(m.label)} (v${m.version}, ${m.status})`)
  for (const m of diff.removed)
    head.push(`- removed: \`${m.id}\` ${esc(m.label)} (v${m.version}, ${m.status})`)
  if (diff.added.length || diff.removed.length) head.push('')

  let text = head.join('\n')
  const sections = diff.metrics.filter((m) => m.values > 0)
  for (const [i, m] of sections.entries()) {
    const section = detailSection(m, diff.changes, limit, options)
    if (text.length + section.length > MARKDOWN_BUDGET) {
      text += `\n_Values of ${count(sections.length - i, 'more metric')} left out to keep this comment short: run \`revops diff --format json\` for every value._\n`
      break
    }
    text += section
  }
  return `${text.trimEnd()}\n`
}

function detailSection(
  m: MetricChange,
  all: readonly ValueChange[],
  limit: number,
  options: DiffFormatOptions,
): string {
  const changes = all.filter((c) => c.metric === m.metric)
  // One table per cut (the total, then each breakdown), each cut's rows in period order.
  const cuts = new Map<string, ValueChange[]>()
  for (const c of changes) {
    const dims = Object.keys(c.dimensions).join(', ')
    cuts.set(dims, [...(cuts.get(dims) ?? []), c])
  }
  const lines = [
    '',
    `<details><summary><code>${m.metric}</code>: ${count(m.values, 'value')} changed</summary>`,
  ]
  for (const [dimsText, rows] of cuts) {
    const dims = dimsText ? dimsText.split(', ') : []
    const shown = rows.slice(0, limit)
    lines.push(
      '',
      dims.length ? `By ${esc(dimsText)}:` : 'In total:',
      '',
      `| period | ${dims.map((d) => `${esc(d)} | `).join('')}${esc(options.beforeName ?? 'before')} | ${esc(options.afterName ?? 'after')} | change |`,
      `| --- |${dims.map(() => ' --- |').join('')} --: | --: | --: |`,
      ...shown.map((c) => {
        const [before, after] = showPair(c, m.unit)
        const cells = dims.map((d) => `${esc(showCell(c.dimensions[d] ?? null))} | `).join('')
        return `| ${c.period} | ${cells}${esc(before)} | ${esc(after)} | ${esc(showChange(c, m.unit))} |`
      }),
    )
    if (rows.length > shown.length)
      lines.push('', `… and ${count(rows.length - shown.length, 'more value')}.`)
  }
  lines.push('', '</details>', '')
  return lines.join('\n')
}

function metricNotes(m: MetricChange): string[] {
  const notes = [...m.definition]
  if (m.versionNotBumped) notes.push(`values changed but version ${m.after.version} was not bumped`)
  if (m.error?.before) notes.push(`failed before: ${m.error.before}`)
  if (m.error?.after) notes.push(`fails after: ${m.error.after}`)
  return notes
}

function limitPerCut(changes: readonly ValueChange[], limit: number | undefined) {
  if (limit === undefined) return { rows: changes, hidden: 0 }
  const taken = new Map<string, number>()
  const rows = changes.filter((c) => {
    const cut = `${c.metric}|${Object.keys(c.dimensions).join(',')}`
    const n = taken.get(cut) ?? 0
    taken.set(cut, n + 1)
    return n < limit
  })
  return { rows, hidden: changes.length - rows.length }
}

function largestChange(changes: readonly ValueChange[]): ValueChange | undefined {
  let best: ValueChange | undefined
  for (const c of changes) {
    const size = Math.abs(c.change ?? c.after ?? c.before ?? 0)
    if (!best || size > Math.abs(best.change ?? best.after ?? best.before ?? 0)) best = c
  }
  return best
}

function dimensionText(c: ValueChange): string {
  const entries = Object.entries(c.dimensions)
  return entries.length === 0 ? 'total' : entries.map(([k, v]) => `${k}=${showCell(v)}`).join(', ')
}

function dimensionSuffix(c: ValueChange): string {
  const text = dimensionText(c)
  return text === 'total' ? '' : `, ${text}`
}

function showCell(value: string | number | boolean | null): string {
  return value === null ? '(none)' : String(value)
}

/** Before and after in the metric's unit; with every digit when the usual rounding would hide the change. */
function showPair(c: ValueChange, unit: string): [string, string] {
  const before = showValue(c.before, unit)
  const after = showValue(c.after, unit)
  if (before !== after) return [before, after]
  return [precise(c.before), precise(c.after)]
}

function showValue(value: number | null, unit: string): string {
  if (value === null) return '—'
  switch (unit) {
    case 'ratio':
      return `${fixed(value * 100, 2)}%`
    case 'currency':
      return fixed(value, 2)
    case 'currency_per_day':
      return `${fixed(value, 2)}/day`
    case 'days':
      return `${fixed(value, 2)} days`
    case 'months':
      return `${fixed(value, 2)} months`
    case 'multiple':
      return `${fixed(value, 3)}×`
    default:
      return Number.isInteger(value) ? fixed(value, 0) : fixed(value, 4)
  }
}

function showChange(c: ValueChange, unit: string): string {
  if (c.change === null) return c.kind === 'added' ? 'new' : c.kind === 'removed' ? 'gone' : '—'
  const sign = c.change > 0 ? '+' : '−'
  const size = Math.abs(c.change)
  if (unit === 'ratio') return `${sign}${fixed(size * 100, 2)} pts`
  const amount = showValue(size, unit)
  const relative = c.before ? ` (${sign}${fixed((size / Math.abs(c.before)) * 100, 1)}%)` : ''
  return `${sign}${amount === showValue(0, unit) ? precise(size) : amount}${relative}`
}

function fixed(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

function precise(value: number | null): string {
  return value === null ? '—' : String(Number(value.toPrecision(12)))
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`
}

/** Markdown table cells: no pipes, no line breaks, no HTML. */
function esc(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('<', '&lt;').replaceAll('\n', ' ')
}
