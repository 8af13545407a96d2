import { type DataColumn, dataTable } from '../html/data-table.js'
import { type Formats, formats } from '../html/format.js'
import { html, type SafeHtml } from '../html/html.js'
import { renderPage } from '../html/page.js'
import { type ChartOption, renderSvgChart } from '../html/svg-chart.js'
import {
  type BridgeMonth,
  type CohortRow,
  type ReportContext,
  type RetentionData,
  type RetentionMonth,
  RetentionReportOptions,
  retentionReportData,
} from './retention-data.js'

export { RetentionReportOptions }

const WIDTH = 1040
const COLORS = {
  mrr: '#1f4e8c',
  new_mrr: '#2e8b57',
  expansion_mrr: '#48b5a0',
  reactivation_mrr: '#6a8fd6',
  contraction_mrr: '#f0a03c',
  churned_mrr: '#d0443e',
  net: '#1d2433',
  nrr: '#1f4e8c',
  grr: '#7a8799',
  churn: '#d0443e',
}
const PALETTE = ['#1f4e8c', '#2e8b57', '#f0a03c', '#8e5ea2', '#d0443e', '#48b5a0', '#7a8799', '#c9a227']

export interface RetentionReport {
  readonly html: string
  readonly data: RetentionData
}

/** The finance revenue-retention report: every number from the semantic layer, one offline HTML file. */
export async function retentionReport(
  context: ReportContext,
  options: RetentionReportOptions = {},
  generatedAt: Date = new Date(),
): Promise<RetentionReport> {
  const data = await retentionReportData(context, options)
  return { data, html: renderRetentionReport(data, generatedAt) }
}

export function renderRetentionReport(data: RetentionData, generatedAt: Date): string {
  const f = formats(data.currency)
  const months = data.bridge.length
  const span = `${f.month(data.range.from)} – ${f.month(data.range.to)}`
  const body = html`<main>
<header>
<h1>Revenue retention</h1>
<p class="subtitle">${span} · ${months} ${months === 1 ? 'month' : 'months'} · ${data.currency}</p>
${meta(data, f, generatedAt)}
</header>
${tiles(data, f)}
${mrrSection(data, f)}
${retentionSection(data, f)}
${cohortSection(data, f)}
${logoChurnSection(data, f)}
${data.breakdown ? breakdownSection(data, f) : ''}
${definitionsSection(data)}
<footer>Every number in this report is answered by the revops semantic layer from the governed
definitions listed above; money is in ${data.currency}, rates are shares of the stated denominator.
Tables download as CSV with unrounded values.</footer>
</main>`
  return renderPage({ title: `Revenue retention · ${span}`, body, style: STYLE })
}

const STYLE = `
.meta dd code { font-size: 12px; }
.cohort td, .cohort th { padding: 3px 5px; font-size: 11.5px; }
`

function meta(data: RetentionData, f: Formats, generatedAt: Date): SafeHtml {
  const policies = [...new Set(data.definitions.map((d) => d.policy).filter((p): p is string => Boolean(p)))]
  const build = data.build
  const built = build?.finishedAt ? timestamp(build.finishedAt) : undefined
  return html`<dl class="meta" data-meta>
<dt>Period covered</dt><dd data-field="period">${longDate(data.range.from)} – ${longDate(data.range.to)} (month-end snapshots)</dd>
<dt>Revenue policy</dt><dd data-field="policy">${policies.length ? policies.join(', ') : 'none'}</dd>
<dt>Definitions</dt><dd data-field="definitions">${data.definitions.map(
    (d, i) => html`${i ? ' · ' : ''}<code>${d.id}</code> v${d.version}`,
  )}${allCertified(data) ? ' — all certified' : ''}</dd>
<dt>Data through</dt><dd data-field="freshness">${f.month(data.latestMonthWithData)} (the latest month with MRR data)</dd>
<dt>Warehouse build</dt><dd data-field="build">${
    built ? `finished ${built}` : build ? `build ${build.id}` : 'no build recorded in the warehouse artifacts'
  }</dd>
<dt>Answered by</dt><dd>the revops semantic layer on ${data.dialect}, environment ${data.environment}</dd>
<dt>Generated</dt><dd>${timestamp(generatedAt.toISOString())}</dd>
</dl>`
}

function allCertified(data: RetentionData): boolean {
  return data.definitions.every((d) => d.status === 'certified')
}

function tiles(data: RetentionData, f: Formats): SafeHtml {
  const last = data.bridge.at(-1)
  const retention = data.retention.at(-1)
  if (!last) return html``
  const when = f.month(last.period)
  const tile = (label: string, value: string, key: string) =>
    html`<div class="tile" data-tile="${key}"><div class="label">${label}</div><div class="value">${value}</div></div>`
  return html`<div class="tiles">
${tile(`MRR, ${when}`, f.money(last.mrr), 'mrr')}
${tile(`ARR, ${when}`, f.money(last.arr), 'arr')}
${tile(`Net new MRR, ${when}`, f.money(last.net_new_mrr), 'net_new_mrr')}
${tile('NRR, trailing 12 months', f.percent(retention?.nrr), 'nrr')}
${tile('GRR, trailing 12 months', f.percent(retention?.grr), 'grr')}
${tile(`Logo churn, ${when}`, f.percent(last.logo_churn_rate), 'logo_churn_rate')}
${tile(`Active customers, ${when}`, f.count(last.active_customers), 'active_customers')}
</div>`
}

function section(id: string, title: string, lead: string, content: SafeHtml, first = false): SafeHtml {
  return html`<section id="${id}" class="${first ? 'first' : ''}">
<header><h2>${title}</h2><p class="lead">${lead}</p></header>
${content}
</section>`
}

const category = (data: readonly { period: string }[], f: Formats) => data.map((r) => f.month(r.period))
const axisLabel = { fontSize: 11, color: '#5b6475' }
/**
 * Room between legend items. echarts lays out server-side text with Arial-like widths, and a
 * browser may draw a wider font (DejaVu Sans on Linux): with echarts' default gap of 10 a long
 * label ran into the next item's symbol.
 */
const LEGEND_GAP = 22
const splitLine = { lineStyle: { color: '#eceff3' } }

function mrrSection(data: RetentionData, f: Formats): SafeHtml {
  const x = category(data.bridge, f)
  const moneyAxis = {
    type: 'value' as const,
    axisLabel: { ...axisLabel, formatter: f.moneyCompact },
    splitLine,
  }
  const up = (key: 'new_mrr' | 'expansion_mrr' | 'reactivation_mrr', name: string) => ({
    name,
    type: 'bar' as const,
    stack: 'movements',
    xAxisIndex: 1,
    yAxisIndex: 1,
    itemStyle: { color: COLORS[key] },
    data: data.bridge.map((b) => b[key] ?? 0),
  })
  const down = (key: 'contraction_mrr' | 'churned_mrr', name: string) => ({
    ...up('new_mrr', name),
    itemStyle: { color: COLORS[key] },
    data: data.bridge.map((b) => -(b[key] ?? 0)),
  })
  const option: ChartOption = {
    color: [COLORS.mrr],
    title: [
      { text: 'MRR at month end', left: 0, top: 0, textStyle: { fontSize: 13, fontWeight: 600 } },
      { text: 'MRR movements', left: 0, top: 268, textStyle: { fontSize: 13, fontWeight: 600 } },
    ],
    legend: {
      top: 268,
      left: 180,
      itemWidth: 12,
      itemHeight: 10,
      textStyle: { fontSize: 11 },
      itemGap: LEGEND_GAP,
      data: ['New', 'Expansion', 'Reactivation', 'Contraction', 'Churn', 'Net new'],
    },
    grid: [
      { left: 64, right: 16, top: 30, height: 200 },
      { left: 64, right: 16, top: 300, height: 190 },
    ],
    xAxis: [
      {
        type: 'category',
        data: x,
        gridIndex: 0,
        axisLabel: { ...axisLabel, show: false },
        axisTick: { show: false },
      },
      { type: 'category', data: x, gridIndex: 1, axisLabel },
    ],
    yAxis: [
      { ...moneyAxis, gridIndex: 0 },
      { ...moneyAxis, gridIndex: 1 },
    ],
    series: [
      {
        name: 'MRR',
        type: 'bar',
        xAxisIndex: 0,
        yAxisIndex: 0,
        barMaxWidth: 28,
        itemStyle: { color: COLORS.mrr },
        data: data.bridge.map((b) => b.mrr ?? 0),
      },
      up('new_mrr', 'New'),
      up('expansion_mrr', 'Expansion'),
      up('reactivation_mrr', 'Reactivation'),
      down('contraction_mrr', 'Contraction'),
      down('churned_mrr', 'Churn'),
      {
        name: 'Net new',
        type: 'line',
        xAxisIndex: 1,
        yAxisIndex: 1,
        symbol: 'circle',
        symbolSize: 5,
        itemStyle: { color: COLORS.net },
        lineStyle: { width: 1.5 },
        data: data.bridge.map((b) => b.net_new_mrr ?? 0),
      },
    ],
  }
  const money = (key: keyof BridgeMonth) => (b: BridgeMonth) => f.money(b[key])
  const columns: DataColumn<BridgeMonth>[] = [
    { key: 'month', label: 'Month', show: (b) => f.month(b.period), value: (b) => b.period },
    { key: 'opening_mrr', label: 'Opening', show: money('opening'), value: (b) => b.opening },
    { key: 'new_mrr', label: '+ New', show: money('new_mrr'), value: (b) => b.new_mrr },
    {
      key: 'expansion_mrr',
      label: '+ Expansion',
      show: money('expansion_mrr'),
      value: (b) => b.expansion_mrr,
    },
    {
      key: 'reactivation_mrr',
      label: '+ Reactivation',
      show: money('reactivation_mrr'),
      value: (b) => b.reactivation_mrr,
    },
    {
      key: 'contraction_mrr',
      label: '− Contraction',
      show: money('contraction_mrr'),
      value: (b) => b.contraction_mrr,
    },
    { key: 'churned_mrr', label: '− Churn', show: money('churned_mrr'), value: (b) => b.churned_mrr },
    { key: 'net_new_mrr', label: 'Net new', show: money('net_new_mrr'), value: (b) => b.net_new_mrr },
    { key: 'mrr', label: 'Closing MRR', show: money('mrr'), value: (b) => b.mrr },
    {
      key: 'active_customers',
      label: 'Customers',
      show: (b) => f.count(b.active_customers),
      value: (b) => b.active_customers,
    },
  ]
  return section(
    'mrr',
    'MRR and its movements',
    'Closing MRR = opening MRR + new + expansion + reactivation − contraction − churn (± exchange-rate revaluation, which is not a movement). Contraction and churn are shown as amounts lost.',
    html`${renderSvgChart(option, { width: WIDTH, height: 540 }, 'MRR at each month end, and the monthly MRR movements stacked above and below zero.')}
${dataTable({ id: 'mrr-bridge', columns, rows: data.bridge, note: 'MRR bridge by month.' })}`,
    true,
  )
}

function retentionSection(data: RetentionData, f: Formats): SafeHtml {
  const option: ChartOption = {
    legend: {
      top: 0,
      left: 50,
      itemWidth: 14,
      itemHeight: 8,
      textStyle: { fontSize: 11 },
      itemGap: LEGEND_GAP,
    },
    grid: { left: 56, right: 16, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: category(data.retention, f), axisLabel },
    yAxis: {
      type: 'value',
      axisLabel: { ...axisLabel, formatter: (v: number) => f.percent(v).replace('.0%', '%') },
      splitLine,
      scale: true,
    },
    series: [
      {
        name: 'NRR',
        type: 'line',
        // Above GRR (line series default to z 3): where the two are equal, NRR must not vanish under it.
        z: 4,
        symbol: 'circle',
        symbolSize: 6,
        itemStyle: { color: COLORS.nrr },
        lineStyle: { width: 2 },
        data: data.retention.map((r) => r.nrr),
        markLine: {
          silent: true,
          symbol: 'none',
          label: { show: false },
          lineStyle: { color: '#9aa3b2', type: 'dashed' },
          data: [{ yAxis: 1 }],
        },
      },
      {
        name: 'GRR',
        type: 'line',
        symbol: 'rect',
        symbolSize: 6,
        itemStyle: { color: COLORS.grr },
        lineStyle: { width: 2, type: 'dashed' },
        data: data.retention.map((r) => r.grr),
      },
    ],
  }
  const columns: DataColumn<RetentionMonth>[] = [
    { key: 'month', label: 'Month', show: (r) => f.month(r.period), value: (r) => r.period },
    { key: 'nrr', label: 'NRR (T12M)', show: (r) => f.percent(r.nrr), value: (r) => r.nrr },
    { key: 'grr', label: 'GRR (T12M)', show: (r) => f.percent(r.grr), value: (r) => r.grr },
  ]
  return section(
    'nrr-grr',
    'Net and gross revenue retention, trailing twelve months',
    'Over the customers who had MRR twelve months before each month end: NRR = their MRR now ÷ their MRR then (expansion counts, new logos do not); GRR = Σ min(now, then) ÷ then, never above 100%. A dash means no customer had MRR twelve months earlier.',
    html`${renderSvgChart(option, { width: WIDTH, height: 320 }, 'Net and gross revenue retention over the trailing twelve months, by month.')}
${dataTable({ id: 'nrr-grr', columns, rows: data.retention })}`,
  )
}

function cohortSection(data: RetentionData, f: Formats): SafeHtml {
  const cohorts = data.cohorts
  const ages = Math.max(0, ...cohorts.map((c) => c.retention.length))
  const x = Array.from({ length: ages }, (_, i) => String(i))
  const y = cohorts.map((c) => f.month(c.cohort))
  const values = cohorts.flatMap((c) => c.retention.filter((v): v is number => v !== null))
  const max = Math.max(1, ...values)
  // Dark cells get white labels; the rest dark ones.
  const cells = cohorts.flatMap((c, row) =>
    c.retention.flatMap((v, age) =>
      v === null ? [] : [{ value: [age, row, v], label: { color: v > max * 0.7 ? '#fff' : '#1d2433' } }],
    ),
  )
  const option: ChartOption = {
    grid: { left: 78, right: 16, top: 26, bottom: 56 },
    xAxis: {
      type: 'category',
      data: x,
      name: 'Months since the cohort’s first month',
      nameLocation: 'middle',
      nameGap: 26,
      nameTextStyle: { fontSize: 11, color: '#5b6475' },
      axisLabel,
      splitArea: { show: false },
    },
    yAxis: { type: 'category', data: y, inverse: true, axisLabel, splitArea: { show: false } },
    visualMap: {
      type: 'continuous',
      min: 0,
      max,
      show: false,
      inRange: { color: ['#fde0dc', '#f7f7f7', '#c6dbef', '#4a84c4', '#1f4e8c'] },
    },
    series: [
      {
        type: 'heatmap',
        data: cells,
        itemStyle: { borderColor: '#fff', borderWidth: 1 },
        label: {
          show: ages <= 36,
          fontSize: 9,
          formatter: (p: { value?: unknown }) => `${Math.round(((p.value as number[])[2] ?? 0) * 100)}%`,
        },
      },
    ],
  }
  const columns: DataColumn<CohortRow>[] = [
    { key: 'cohort', label: 'Cohort', show: (c) => f.month(c.cohort), value: (c) => c.cohort },
    {
      key: 'new_customers',
      label: 'Customers',
      show: (c) => f.count(c.new_customers),
      value: (c) => c.new_customers,
    },
    { key: 'new_mrr', label: 'Starting MRR', show: (c) => f.money(c.new_mrr), value: (c) => c.new_mrr },
    ...x.map(
      (age, i): DataColumn<CohortRow> => ({
        key: `m${age}`,
        label: `M${age}`,
        show: (c) => wholePercent(c.retention[i]),
        value: (c) => c.retention[i] ?? null,
      }),
    ),
  ]
  const height = Math.max(220, cohorts.length * 24 + 90)
  const content = cohorts.length
    ? html`${renderSvgChart(option, { width: WIDTH, height }, 'Cohort revenue retention: rows are sign-up cohorts, columns months since the first month, cells the share of starting MRR retained.')}
<div class="cohort">${dataTable({ id: 'cohort-retention', columns, rows: cohorts, note: 'Cells: % of starting MRR retained; M0 is the cohort’s first month.' })}</div>`
    : html`<p class="note">No customer had their first MRR in this period.</p>`
  return section(
    'cohorts',
    'Cohort revenue retention',
    'Customers grouped by the month of their first MRR; each cell is the cohort’s MRR that many months later ÷ its starting MRR (reactivations count back in, expansion can lift a cohort above 100%). Customers and starting MRR are the cohort month’s new customers and new MRR.',
    content,
  )
}

function logoChurnSection(data: RetentionData, f: Formats): SafeHtml {
  const option: ChartOption = {
    grid: { left: 56, right: 16, top: 16, bottom: 30 },
    xAxis: { type: 'category', data: category(data.bridge, f), axisLabel },
    yAxis: {
      type: 'value',
      axisLabel: { ...axisLabel, formatter: (v: number) => f.percent(v).replace('.0%', '%') },
      splitLine,
    },
    series: [
      {
        name: 'Logo churn rate',
        type: 'bar',
        barMaxWidth: 24,
        itemStyle: { color: COLORS.churn },
        label: {
          show: true,
          position: 'top',
          fontSize: 10,
          formatter: (p: { value?: unknown }) => (p.value ? f.percent(p.value as number) : ''),
        },
        data: data.bridge.map((b) => b.logo_churn_rate),
      },
    ],
  }
  const columns: DataColumn<BridgeMonth>[] = [
    { key: 'month', label: 'Month', show: (b) => f.month(b.period), value: (b) => b.period },
    {
      key: 'active_at_start',
      label: 'Active at start',
      show: (b) => f.count(b.active_at_start),
      value: (b) => b.active_at_start,
    },
    {
      key: 'new_customers',
      label: 'New',
      show: (b) => f.count(b.new_customers),
      value: (b) => b.new_customers,
    },
    {
      key: 'churned_customers',
      label: 'Churned',
      show: (b) => f.count(b.churned_customers),
      value: (b) => b.churned_customers,
    },
    {
      key: 'active_customers',
      label: 'Active at end',
      show: (b) => f.count(b.active_customers),
      value: (b) => b.active_customers,
    },
    {
      key: 'logo_churn_rate',
      label: 'Logo churn rate',
      show: (b) => f.percent(b.logo_churn_rate),
      value: (b) => b.logo_churn_rate,
    },
  ]
  return section(
    'logo-churn',
    'Logo churn',
    'Customers whose MRR went to zero in the month ÷ customers active at the start of the month (the previous month end). A customer who joins and leaves within one month is in neither.',
    html`${renderSvgChart(option, { width: WIDTH, height: 300 }, 'Monthly logo churn rate.')}
${dataTable({ id: 'logo-churn', columns, rows: data.bridge })}`,
  )
}

function breakdownSection(data: RetentionData, f: Formats): SafeHtml {
  const b = data.breakdown
  if (!b) return html``
  const name = b.dimension.replaceAll('_', ' ')
  const x = b.months.map((m) => f.month(m.period))
  const color = (i: number) => PALETTE[i % PALETTE.length] as string
  const mrrOption: ChartOption = {
    legend: {
      top: 0,
      left: 58,
      itemWidth: 12,
      itemHeight: 10,
      textStyle: { fontSize: 11 },
      itemGap: LEGEND_GAP,
    },
    grid: { left: 64, right: 16, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: x, axisLabel },
    yAxis: { type: 'value', axisLabel: { ...axisLabel, formatter: f.moneyCompact }, splitLine },
    series: b.values.map((v, i) => ({
      name: v,
      type: 'bar' as const,
      stack: 'mrr',
      barMaxWidth: 28,
      itemStyle: { color: color(i) },
      data: b.months.map((m) => m.byValue[v]?.mrr ?? 0),
    })),
  }
  const nrrOption: ChartOption = {
    legend: {
      top: 0,
      left: 50,
      itemWidth: 14,
      itemHeight: 8,
      textStyle: { fontSize: 11 },
      itemGap: LEGEND_GAP,
    },
    grid: { left: 56, right: 16, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: x, axisLabel },
    yAxis: {
      type: 'value',
      axisLabel: { ...axisLabel, formatter: (v: number) => f.percent(v).replace('.0%', '%') },
      splitLine,
    },
    series: b.values.map((v, i) => ({
      name: `${v} NRR`,
      type: 'line' as const,
      symbol: 'circle',
      symbolSize: 5,
      itemStyle: { color: color(i) },
      data: b.months.map((m) => m.byValue[v]?.nrr ?? null),
    })),
  }
  type Month = (typeof b.months)[number]
  const first: DataColumn<Month> = {
    key: 'month',
    label: 'Month',
    show: (m) => f.month(m.period),
    value: (m) => m.period,
  }
  const mrrColumns: DataColumn<Month>[] = [
    first,
    ...b.values.map(
      (v): DataColumn<Month> => ({
        key: `mrr_${v}`,
        label: v,
        show: (m) => f.money(m.byValue[v]?.mrr),
        value: (m) => m.byValue[v]?.mrr ?? null,
      }),
    ),
  ]
  const retentionColumns: DataColumn<Month>[] = [
    first,
    ...b.values.flatMap((v): DataColumn<Month>[] => [
      {
        key: `nrr_${v}`,
        label: 'NRR',
        group: v,
        show: (m) => f.percent(m.byValue[v]?.nrr),
        value: (m) => m.byValue[v]?.nrr ?? null,
      },
      {
        key: `grr_${v}`,
        label: 'GRR',
        group: v,
        show: (m) => f.percent(m.byValue[v]?.grr),
        value: (m) => m.byValue[v]?.grr ?? null,
      },
      {
        key: `logo_churn_rate_${v}`,
        label: 'Logo churn',
        group: v,
        show: (m) => f.percent(m.byValue[v]?.logo_churn_rate),
        value: (m) => m.byValue[v]?.logo_churn_rate ?? null,
      },
    ]),
  ]
  return section(
    'breakdown',
    `By ${name}`,
    `MRR, trailing-twelve-month NRR and GRR, and logo churn for each ${name}, as the customer’s ${name} is today. Each rate is computed within the ${name} (a ratio of its own sums).`,
    html`<h3>MRR by ${name}</h3>
${renderSvgChart(mrrOption, { width: WIDTH, height: 300 }, `MRR at each month end, stacked by ${name}.`)}
${dataTable({ id: `mrr-by-${b.dimension}`, columns: mrrColumns, rows: b.months })}
<h3>Retention by ${name}</h3>
${renderSvgChart(nrrOption, { width: WIDTH, height: 300 }, `Trailing-twelve-month NRR by ${name}.`)}
${dataTable({ id: `retention-by-${b.dimension}`, columns: retentionColumns, rows: b.months })}`,
  )
}

function definitionsSection(data: RetentionData): SafeHtml {
  return html`<section id="definitions">
<header><h2>Definitions</h2><p class="lead">The governed definitions behind every number above, as of this report.</p></header>
<div class="table-wrap"><table data-table="definitions">
<thead><tr><th scope="col">Metric</th><th scope="col" class="text">Definition</th><th scope="col">Version</th><th scope="col">Status</th><th scope="col">Policy</th></tr></thead>
<tbody>${data.definitions.map(
    (d) =>
      html`<tr><th scope="row">${d.label}<br><code>${d.id}</code></th><td class="text">${d.description}</td><td>${d.version}</td><td>${d.status}</td><td>${d.policy ?? '—'}</td></tr>\n`,
  )}</tbody></table></div>
</section>`
}

/** `1.6` → `160` (the cohort table's header says the cells are percentages). */
function wholePercent(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(Math.round(value * 100))
}

function longDate(date: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`))
}

function timestamp(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}
