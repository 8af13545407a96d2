import * as echarts from 'echarts'
import { html, raw, type SafeHtml } from './html.js'

export type ChartOption = echarts.EChartsOption

export const FONT_STACK = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

/**
 * Renders an echarts option to an SVG string on the server (no browser, no script in the page):
 * the chart is part of the HTML, prints sharply and opens offline.
 */
export function renderSvgChart(
  option: ChartOption,
  size: { readonly width: number; readonly height: number },
  description: string,
): SafeHtml {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...size })
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: FONT_STACK },
      aria: { enabled: true, label: { description } },
      ...option,
    })
    return html`<div class="chart">${raw(chart.renderToSVGString())}</div>`
  } finally {
    // An undisposed instance keeps a timer alive and the process from exiting.
    chart.dispose()
  }
}
