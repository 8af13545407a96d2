import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../cli/main.js'
import { warehousePaths } from '../../../core/config/warehouse.js'
import { DuckDbEngine } from '../../../core/engines/duckdb-engine.js'
import { METRIC_SIGNIFICANT_DIGITS } from '../../../semantic/answer.js'
import { BUILD_FINISHED_AT, createRetentionWarehouse } from '../../fixtures/reports/retention-warehouse.js'
import { artifactPath, chromiumMissing, launchChromium, watchPage } from '../../support/browser.js'

const r12 = (x: number) => Number(x.toPrecision(METRIC_SIGNIFICANT_DIGITS))
const root = mkdtempSync(join(tmpdir(), 'revops-report-'))
const dir = join(root, '.revops')
const fullReport = join(root, 'out', 'retention.html')
const segmentReport = join(root, 'out', 'retention-h1-2025.html')

async function revops(...argv: string[]) {
  return revopsIn(dir, ...argv)
}

async function revopsIn(warehouse: string, ...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  stdout.on('data', (d) => out.push(String(d)))
  stderr.on('data', (d) => err.push(String(d)))
  const code = await runCli(['--dir', warehouse, ...argv], { stdout, stderr, env: {} })
  return { code, stdout: out.join(''), stderr: err.join('') }
}

beforeAll(async () => {
  await createRetentionWarehouse(dir)
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('revops report retention', () => {
  it('writes one HTML file covering the last 24 months of data by default', async () => {
    const result = await revops('report', 'retention', '--out', fullReport)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(
      `wrote ${fullReport}: revenue retention 2024-01-01 to 2025-12-31 (24 months, data through 2025-12)\n`,
    )
    const html = readFileSync(fullReport, 'utf8')
    // Self-contained: nothing is loaded from anywhere (SVG namespaces are names, not fetches).
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i)
    expect(html).not.toMatch(/<link[^>]+stylesheet|@import|url\(\s*["']?https?:/i)
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/)
  })

  it('takes --from, --to and --by, and reports in JSON with --json', async () => {
    const result = await revops(
      '--json',
      'report',
      'retention',
      '--out',
      segmentReport,
      '--from',
      '2025-01-01',
      '--to',
      '2025-06-30',
      '--by',
      'segment',
    )
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({
      report: 'retention',
      file: segmentReport,
      from: '2025-01-01',
      to: '2025-06-30',
      months: 6,
      latest_month_with_data: '2025-12-01',
      by: 'segment',
    })
  })

  it('fails with one clear line on bad input', async () => {
    const unknown = await revops('report', 'churn', '--out', join(root, 'x.html'))
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toBe('revops: unknown report "churn"\nhint: reports: retention\n')

    const badDate = await revops('report', 'retention', '--out', join(root, 'x.html'), '--from', '2025-13-01')
    expect(badDate.code).toBe(1)
    expect(badDate.stderr).toBe('revops: report retention: from must be a date, YYYY-MM-DD\n')

    const backwards = await revops(
      'report',
      'retention',
      '--out',
      join(root, 'x.html'),
      ...['--from', '2025-06-01', '--to', '2025-01-31'],
    )
    expect(backwards.stderr).toBe('revops: report retention: from must not be after to\n')

    const badDimension = await revops(
      'report',
      'retention',
      '--out',
      join(root, 'x.html'),
      '--by',
      'invoice_status',
    )
    expect(badDimension.code).toBe(1)
    expect(badDimension.stderr).toMatch(/^revops: dimension invoice_status is not available for /)
  })

  it('says so when the warehouse has no marts or no MRR yet', async () => {
    const unbuilt = join(root, 'unbuilt')
    const engine = await DuckDbEngine.open({ path: warehousePaths(unbuilt).duckdb })
    await engine.close()
    const none = await revopsIn(unbuilt, 'report', 'retention', '--out', join(root, 'y.html'))
    expect(none.code).toBe(1)
    expect(none.stderr).toMatch(/^revops: query mrr,.* failed on DuckDB: .*marts\.dim_date.* does not exist/)

    const empty = join(root, 'empty')
    await createRetentionWarehouse(empty, { withRows: false })
    const result = await revopsIn(empty, 'report', 'retention', '--out', join(root, 'y.html'))
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'revops: no MRR in the warehouse to report on\nhint: run `revops demo`, or land billing exports and run `revops build`\n',
    )
  })
})

describe.skipIf(chromiumMissing)(
  chromiumMissing ? `the report in a browser (${chromiumMissing})` : 'the report in a browser',
  () => {
    let browser: Browser
    beforeAll(async () => {
      browser = await launchChromium()
    })
    afterAll(async () => {
      await browser?.close()
    })

    const open = async (file: string): Promise<{ page: Page; problems: string[] }> => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
      const problems = watchPage(page)
      await page.goto(`file://${file}`, { waitUntil: 'load' })
      return { page, problems }
    }
    const row = (page: Page, table: string, first: string) =>
      page
        .locator(`table[data-table="${table}"] tbody tr`)
        .filter({ has: page.locator('th', { hasText: new RegExp(`^${first}$`) }) })
        .locator('th, td')
        .allInnerTexts()
    const downloadCsv = async (page: Page, table: string) => {
      const link = page
        .locator('.data-block', { has: page.locator(`table[data-table="${table}"]`) })
        .locator('a.download')
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
      expect(download.suggestedFilename()).toBe(`${table}.csv`)
      const text = readFileSync((await download.path()) as string, 'utf8')
      return text
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n')
    }

    it('opens offline with no console errors and no network requests, and its charts render', async () => {
      const { page, problems } = await open(fullReport)
      try {
        const charts = page.locator('.chart svg')
        expect(await charts.count()).toBe(4)
        for (const chart of await charts.all()) {
          const box = await chart.boundingBox()
          expect(box?.width).toBeGreaterThan(600)
          expect(box?.height).toBeGreaterThan(200)
        }
        // Plotted marks, not just axes: 24 MRR bars; 53 cohort cells (22 + 19 + 12 months of
        // age for the Mar 2024, Jun 2024 and Jan 2025 cohorts); the NRR and GRR lines; two churn bars.
        expect(await page.locator('#mrr .chart svg path[fill="#1f4e8c"]').count()).toBe(24)
        expect(await page.locator('#cohorts .chart svg text', { hasText: /%$/ }).count()).toBe(53)
        expect(await page.locator('#cohorts .chart svg text', { hasText: /^160%$/ }).count()).toBe(14)
        expect(await page.locator('#nrr-grr .chart svg path[stroke="#1f4e8c"]').count()).toBeGreaterThan(0)
        expect(await page.locator('#nrr-grr .chart svg path[stroke="#7a8799"]').count()).toBeGreaterThan(0)
        expect(await page.locator('#logo-churn .chart svg text').allTextContents()).toEqual(
          expect.arrayContaining(['25.0%', '20.0%']),
        )
        await page.screenshot({ path: artifactPath('report-retention.png'), fullPage: true })
        await page.screenshot({ path: artifactPath('report-retention-top.png') })
        expect(problems).toEqual([])
      } finally {
        await page.close()
      }
    })

    it('keeps tile values inside their tiles, legend labels clear of the next item, and NRR over GRR', async () => {
      const { page, problems } = await open(fullReport)
      try {
        // A company of real size: values as long as a $19.9M ARR with cents.
        await page.locator('.tile .value').evaluateAll((values, text) => {
          for (const value of values) value.textContent = text
        }, '$19,898,884.48')
        for (const tile of await page.locator('.tile').all()) {
          const [outer, inner] = await Promise.all([tile.boundingBox(), tile.locator('.value').boundingBox()])
          expect((inner?.x ?? 0) + (inner?.width ?? 0)).toBeLessThanOrEqual(
            (outer?.x ?? 0) + (outer?.width ?? 0),
          )
        }
        // Each legend label ends before the next item's 12-pixel symbol begins.
        const names = ['New', 'Expansion', 'Reactivation', 'Contraction', 'Churn', 'Net new']
        const boxes = await Promise.all(
          names.map((name) =>
            page
              .locator('#mrr .chart svg text', { hasText: new RegExp(`^${name}$`) })
              .first()
              .boundingBox(),
          ),
        )
        for (const [i, box] of boxes.slice(0, -1).entries()) {
          const next = boxes[i + 1]
          expect(box && next, names[i]).toBeTruthy()
          expect(
            (next?.x ?? 0) - ((box?.x ?? 0) + (box?.width ?? 0)),
            `${names[i]} → ${names[i + 1]}`,
          ).toBeGreaterThan(12 + 5 + 2)
        }
        // Drawn later is drawn on top: where NRR equals GRR the NRR line stays visible.
        const strokes = await page
          .locator('#nrr-grr .chart svg path[fill="none"]')
          .evaluateAll((paths) => paths.map((p) => p.getAttribute('stroke')))
        const order = { nrr: strokes.indexOf('#1f4e8c'), grr: strokes.indexOf('#7a8799') }
        expect(order.grr).toBeGreaterThanOrEqual(0)
        expect(order.nrr).toBeGreaterThan(order.grr)
        expect(problems).toEqual([])
      } finally {
        await page.close()
      }
    })

    it('prints the period, policy, definition versions and freshness, and the hand-checked numbers', async () => {
      const { page, problems } = await open(fullReport)
      try {
        const field = (name: string) => page.locator(`[data-field="${name}"]`).textContent()
        expect(await field('period')).toBe('1 Jan 2024 – 31 Dec 2025 (month-end snapshots)')
        expect(await field('policy')).toBe('mrr-policy v1')
        expect(await field('definitions')).toContain('nrr v1.0.0')
        expect(await field('definitions')).toContain('cohort_revenue_retention v1.0.0')
        expect(await field('freshness')).toBe('Dec 2025 (the latest month with MRR data)')
        expect(await field('build')).toBe(`finished ${BUILD_FINISHED_AT.slice(0, 16).replace('T', ' ')} UTC`)
        const tile = (name: string) => page.locator(`[data-tile="${name}"] .value`).textContent()
        expect(await tile('mrr')).toBe('$650.00')
        expect(await tile('arr')).toBe('$7,800.00')
        expect(await tile('nrr')).toBe('77.8%')
        expect(await tile('grr')).toBe('66.7%')
        expect(await tile('active_customers')).toBe('4')

        // Month, opening, new, expansion, reactivation, contraction, churn, net new, closing, customers.
        expect(await row(page, 'mrr-bridge', 'Jan 2024')).toEqual([
          'Jan 2024',
          '$300.00',
          '$0.00',
          '$0.00',
          '$0.00',
          '$0.00',
          '$0.00',
          '$0.00',
          '$300.00',
          '2',
        ])
        expect(await row(page, 'mrr-bridge', 'Jun 2024')).toEqual([
          'Jun 2024',
          '$350.00',
          '$120.00',
          '$0.00',
          '$0.00',
          '$50.00',
          '$0.00',
          '$70.00',
          '$420.00',
          '4',
        ])
        expect(await row(page, 'mrr-bridge', 'Nov 2024')).toEqual([
          'Nov 2024',
          '$370.00',
          '$0.00',
          '$0.00',
          '$80.00',
          '$0.00',
          '$0.00',
          '$80.00',
          '$450.00',
          '4',
        ])
        expect(await row(page, 'mrr-bridge', 'Jan 2025')).toEqual([
          'Jan 2025',
          '$450.00',
          '$300.00',
          '$50.00',
          '$0.00',
          '$0.00',
          '$0.00',
          '$350.00',
          '$800.00',
          '5',
        ])
        expect(await row(page, 'mrr-bridge', 'Mar 2025')).toEqual([
          'Mar 2025',
          '$800.00',
          '$0.00',
          '$0.00',
          '$0.00',
          '$0.00',
          '$150.00',
          '-$150.00',
          '$650.00',
          '4',
        ])
        // NRR/GRR: Jan 2025 over Jan 2024's a+b; Mar 2025 over Mar 2024's a+b+c; Dec 2025 over Dec 2024's.
        expect(await row(page, 'nrr-grr', 'Jan 2025')).toEqual(['Jan 2025', '100.0%', '83.3%'])
        expect(await row(page, 'nrr-grr', 'Mar 2025')).toEqual(['Mar 2025', '65.7%', '42.9%'])
        expect(await row(page, 'nrr-grr', 'Dec 2025')).toEqual(['Dec 2025', '77.8%', '66.7%'])
        // Cohort c: 100% for five months, churned (0) for three, reactivated at 80 ÷ 50 = 160%.
        const cohort = await row(page, 'cohort-retention', 'Mar 2024')
        expect(cohort.slice(0, 3)).toEqual(['Mar 2024', '1', '$50.00'])
        expect(cohort.slice(3, 3 + 9)).toEqual(['100', '100', '100', '100', '100', '0', '0', '0', '160'])
        expect(cohort).toHaveLength(3 + 22)
        expect(await row(page, 'logo-churn', 'Aug 2024')).toEqual(['Aug 2024', '4', '0', '1', '3', '25.0%'])
        expect(await row(page, 'logo-churn', 'Mar 2025')).toEqual(['Mar 2025', '5', '0', '1', '4', '20.0%'])
        expect(problems).toEqual([])
      } finally {
        await page.close()
      }
    })

    it('downloads each table as CSV with unrounded values', async () => {
      const { page, problems } = await open(fullReport)
      try {
        const bridge = await downloadCsv(page, 'mrr-bridge')
        expect(bridge[0]).toBe(
          'month,opening_mrr,new_mrr,expansion_mrr,reactivation_mrr,contraction_mrr,churned_mrr,net_new_mrr,mrr,active_customers',
        )
        expect(bridge).toHaveLength(1 + 24)
        expect(bridge).toContain('2025-01-01,450,300,50,0,0,0,350,800,5')
        const retention = await downloadCsv(page, 'nrr-grr')
        expect(retention[0]).toBe('month,nrr,grr')
        // Answers carry 12 significant digits (semantic/answer.ts), and the CSV carries them all.
        expect(retention.at(-1)).toBe(`2025-12-01,${r12(350 / 450)},${r12(300 / 450)}`)
        const cohorts = await downloadCsv(page, 'cohort-retention')
        expect(cohorts[0]?.split(',').slice(0, 5)).toEqual(['cohort', 'new_customers', 'new_mrr', 'm0', 'm1'])
        expect(cohorts[1]?.split(',').slice(0, 12)).toEqual([
          '2024-03-01',
          '1',
          '50',
          ...['1', '1', '1', '1', '1', '0', '0', '0', '1.6'],
        ])
        const churn = await downloadCsv(page, 'logo-churn')
        expect(churn).toContain('2024-08-01,4,0,1,3,0.25')
        expect(problems).toEqual([])
      } finally {
        await page.close()
      }
    })

    it('breaks the numbers down by segment over the requested months', async () => {
      const { page, problems } = await open(segmentReport)
      try {
        expect(await page.locator('[data-field="period"]').textContent()).toBe(
          '1 Jan 2025 – 30 Jun 2025 (month-end snapshots)',
        )
        expect(await page.locator('.chart svg').count()).toBe(6)
        expect(await page.locator('table[data-table="mrr-bridge"] tbody tr').count()).toBe(6)
        expect((await row(page, 'mrr-bridge', 'Jan 2025')).slice(0, 2)).toEqual(['Jan 2025', '$450.00'])
        expect(await page.locator('table[data-table="mrr-by-segment"] thead th').allInnerTexts()).toEqual([
          'Month',
          'smb',
          'mid_market',
          'enterprise',
        ])
        expect(await row(page, 'mrr-by-segment', 'Jun 2025')).toEqual([
          'Jun 2025',
          '$350.00',
          '$300.00',
          '$0.00',
        ])
        // smb in Jun 2025 over Jun 2024's a 100, c 50, e 120: NRR (150 + 80 + 120) ÷ 270, GRR (100 + 50 + 120) ÷ 270.
        const smb = await row(page, 'retention-by-segment', 'Jun 2025')
        expect(smb.slice(1, 4)).toEqual(['129.6%', '100.0%', '0.0%'])
        const csv = await downloadCsv(page, 'retention-by-segment')
        expect(csv[0]?.split(',').slice(0, 4)).toEqual(['month', 'nrr_smb', 'grr_smb', 'logo_churn_rate_smb'])
        await page.screenshot({ path: artifactPath('report-retention-by-segment.png'), fullPage: true })
        expect(problems).toEqual([])
      } finally {
        await page.close()
      }
    })

    it('prints without download buttons, each section on its own page', async () => {
      const { page, problems } = await open(fullReport)
      try {
        await page.emulateMedia({ media: 'print' })
        expect(await page.locator('a.download').first().isVisible()).toBe(false)
        expect(await page.evaluate("getComputedStyle(document.querySelector('#nrr-grr')).breakBefore")).toBe(
          'page',
        )
        await page.screenshot({ path: artifactPath('report-retention-print.png'), fullPage: true })
        expect(problems).toEqual([])
      } finally {
        await page.close()
      }
    })
  },
)
