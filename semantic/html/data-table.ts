import { type CsvCell, csvDownloadLink, toCsv } from './csv.js'
import { html, type SafeHtml } from './html.js'

export interface DataColumn<R> {
  /** The CSV header: a stable, machine-friendly name (metric ids where the column is a metric). */
  readonly key: string
  /** The header a reader sees. */
  readonly label: string
  /** A header spanning neighbouring columns with the same group (e.g. a segment over NRR, GRR, churn). */
  readonly group?: string
  /** What the cell shows (formatted). */
  readonly show: (row: R) => string | SafeHtml
  /** What the CSV holds: the unrounded value. */
  readonly value: (row: R) => CsvCell
  /** Left-aligned wrapping text instead of a right-aligned number. */
  readonly text?: boolean
}

export interface DataTableInput<R> {
  /** Names the table for links and tests (`data-table` attribute) and its CSV file. */
  readonly id: string
  readonly columns: readonly DataColumn<R>[]
  readonly rows: readonly R[]
  readonly note?: string
}

/** Tables this narrow are sized to their content rather than stretched across the page. */
const COMPACT_COLUMNS = 6

/** The table behind a chart, with the same rows as a CSV download (raw values, not display text). */
export function dataTable<R>(input: DataTableInput<R>): SafeHtml {
  const { columns, rows } = input
  const csv = toCsv(
    columns.map((c) => c.key),
    rows.map((r) => columns.map((c) => c.value(r))),
  )
  const cls = (c: DataColumn<R>) => (c.text ? 'text' : '')
  const compact = columns.length <= COMPACT_COLUMNS ? ' compact' : ''
  return html`<div class="data-block${compact}"><div class="table-wrap"><table data-table="${input.id}">
<thead>${groupRow(columns)}<tr>${columns.map((c) => html`<th scope="col" class="${cls(c)}" data-key="${c.key}">${c.label}</th>`)}</tr></thead>
<tbody>
${rows.map(
  (r) =>
    html`<tr>${columns.map((c, i) =>
      i === 0
        ? html`<th scope="row" class="${cls(c)}">${c.show(r)}</th>`
        : html`<td class="${cls(c)}">${c.show(r)}</td>`,
    )}</tr>\n`,
)}</tbody></table></div>
<div class="table-foot"><span>${input.note ?? ''}</span>${csvDownloadLink(`${input.id}.csv`, csv)}</div></div>`
}

function groupRow<R>(columns: readonly DataColumn<R>[]): SafeHtml {
  if (!columns.some((c) => c.group)) return html``
  const spans: { group: string; span: number }[] = []
  for (const c of columns) {
    const last = spans.at(-1)
    if (last && c.group && last.group === c.group) last.span++
    else spans.push({ group: c.group ?? '', span: 1 })
  }
  return html`<tr class="groups">${spans.map(
    (s) => html`<th scope="colgroup" colspan="${s.span}">${s.group}</th>`,
  )}</tr>`
}
