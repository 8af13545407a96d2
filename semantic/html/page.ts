import { html, raw, type SafeHtml } from './html.js'
import { FONT_STACK } from './svg-chart.js'

/**
 * Nothing on a page may reach the network: the policy blocks every fetch, font and script that
 * is not inline, so a page that opens offline today cannot start depending on a server later.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

const STYLE = `
:root { --ink: #1d2433; --muted: #5b6475; --line: #dfe3ea; --soft: #f5f7fa; --accent: #1f4e8c; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 14px/1.45 ${FONT_STACK}; color: var(--ink); background: #fff; }
main { max-width: 1120px; margin: 0 auto; padding: 32px 28px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 18px; margin: 0 0 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p { margin: 6px 0; }
a { color: var(--accent); }
.subtitle { color: var(--muted); margin: 0 0 18px; font-size: 15px; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 0 0 22px; padding: 12px 16px;
  background: var(--soft); border: 1px solid var(--line); border-radius: 6px; font-size: 13px; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; }
/* Flex items never shrink below their longest word: a long amount widens its tile or wraps the row, never overflows. */
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 0 0 26px; }
.tile { flex: 1 1 128px; display: flex; flex-direction: column; justify-content: space-between; gap: 2px;
  border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.tile .label { color: var(--muted); font-size: 12px; }
.tile .value { font-size: 19px; font-weight: 600; font-variant-numeric: tabular-nums; white-space: nowrap; }
section { margin: 0 0 34px; break-inside: auto; }
section > header { border-top: 2px solid var(--ink); padding-top: 10px; margin-bottom: 8px; }
.lead { color: var(--muted); font-size: 13px; max-width: 80ch; }
.chart { margin: 8px 0 6px; }
.chart svg { display: block; width: 100%; height: auto; }
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { background: var(--soft); font-weight: 600; text-align: right; position: sticky; top: 0; }
th:first-child, td:first-child { text-align: left; }
td { text-align: right; }
td.text, th.text { text-align: left; white-space: normal; }
tbody tr:last-child > * { border-bottom: none; }
tbody th { background: none; font-weight: 500; position: static; }
thead tr.groups th { text-align: center; border-bottom: 1px solid var(--line); }
.data-block { margin: 8px 0 0; }
.data-block.compact { display: inline-block; min-width: 440px; max-width: 100%; }
.data-block.compact table { width: auto; min-width: 100%; }
tr.total td { font-weight: 600; }
.table-foot { display: flex; justify-content: space-between; align-items: baseline; gap: 12px; margin: 6px 0 0;
  font-size: 12px; color: var(--muted); }
a.download { font-weight: 600; text-decoration: none; border: 1px solid var(--accent); border-radius: 4px;
  padding: 2px 8px; white-space: nowrap; }
a.download:hover { background: var(--accent); color: #fff; }
.note { color: var(--muted); font-size: 12px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px;
  overflow-x: auto; white-space: pre; }
footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12px; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  a.download, .no-print { display: none !important; }
  section { break-before: page; }
  section.first { break-before: auto; }
  .chart, .table-wrap, .tile, tr { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  th { position: static; }
}
`

export interface PageInput {
  readonly title: string
  readonly body: SafeHtml
  /** Extra CSS for this page. */
  readonly style?: string
  /** An inline script (the pages work without it; it only adds interaction). */
  readonly script?: string
}

/** A complete, self-contained HTML document: inline CSS, inline SVG, no external resource. */
export function renderPage(page: PageInput): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="generator" content="revops">
<link rel="icon" href="data:,">
<title>${page.title}</title>
<style>${raw(STYLE + (page.style ?? ''))}</style>
</head>
<body>
${page.body}
${page.script ? html`<script>${raw(page.script)}</script>` : ''}
</body>
</html>
`.text
}
