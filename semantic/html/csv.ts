import { html, type SafeHtml } from './html.js'

export type CsvCell = string | number | bigint | boolean | null | undefined

/** RFC 4180 text: a header row, CRLF line ends, quotes only where a cell needs them. */
export function toCsv(columns: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const cell = (value: CsvCell): string => {
    if (value === null || value === undefined) return ''
    const text = String(value)
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
  }
  return `${[columns, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`
}

/**
 * A download link that carries its file in a `data:` URI: it works from a file opened offline,
 * with no script and no server. A byte-order mark makes spreadsheet programs read it as UTF-8.
 */
export function csvDownloadLink(fileName: string, csv: string, label = 'Download CSV'): SafeHtml {
  const href = `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${csv}`)}`
  return html`<a class="download" href="${href}" download="${fileName}">${label}</a>`
}
