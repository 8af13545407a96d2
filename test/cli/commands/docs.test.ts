import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../cli/main.js'
import { projectCatalog } from '../../../semantic/project.js'
import { artifactPath, chromiumMissing, launchChromium, watchPage } from '../../support/browser.js'

const root = mkdtempSync(join(tmpdir(), 'revops-docs-'))
const out = join(root, 'site')
const catalog = projectCatalog()
const total = catalog.metrics.length

async function revops(...argv: string[]) {
  const chunks: string[] = []
  const errors: string[] = []
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  stdout.on('data', (d) => chunks.push(String(d)))
  stderr.on('data', (d) => errors.push(String(d)))
  // No warehouse: the docs come from the definitions alone.
  const code = await runCli(['--dir', join(root, 'no-warehouse'), ...argv], { stdout, stderr, env: {} })
  return { code, stdout: chunks.join(''), stderr: errors.join('') }
}

beforeAll(async () => {
  const result = await revops('docs', '--out', out)
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('revops docs', () => {
  it('writes index.html and one page per metric, without a warehouse', async () => {
    expect(existsSync(join(out, 'index.html'))).toBe(true)
    expect(readdirSync(join(out, 'metrics')).sort()).toEqual(
      catalog.metrics.map((m) => `${m.id}.html`).sort(),
    )
    const again = await revops('--json', 'docs', '--out', out)
    expect(JSON.parse(again.stdout)).toEqual({
      folder: out,
      index: join(out, 'index.html'),
      pages: total + 1,
      metrics: total,
    })
    for (const file of ['index.html', 'metrics/nrr.html']) {
      const html = readFileSync(join(out, file), 'utf8')
      expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i)
      expect(html).toContain('Content-Security-Policy')
    }
  })

  it('describes each metric type by what it is computed from', () => {
    const page = (id: string) => readFileSync(join(out, 'metrics', `${id}.html`), 'utf8')
    expect(page('win_rate')).toMatch(/<dt>Numerator<\/dt><dd><code>opportunities\.[a-z_]+<\/code>/)
    expect(page('win_rate')).toContain('<dt>Denominator</dt>')
    expect(page('nrr')).toContain('<dt>Lookback</dt><dd>12 months before each period end</dd>')
    expect(page('mql_to_sql_rate')).toContain('conversion within 90 days of the base event')
    expect(page('arr')).toContain('<dt>Formula</dt><dd><code>mrr * 12</code></dd>')
    expect(page('cohort_revenue_retention')).toContain('<dt>Cohort</dt>')
    expect(page('revenue_growth_rate')).toContain('(now − then) ÷ then')
  })
})

describe.skipIf(chromiumMissing)(
  chromiumMissing ? `the docs in a browser (${chromiumMissing})` : 'the docs in a browser',
  () => {
    let browser: Browser
    beforeAll(async () => {
      browser = await launchChromium()
    })
    afterAll(async () => {
      await browser?.close()
    })

    const visibleIds = (page: Page) =>
      page.locator('[data-metric]:visible').evaluateAll((cards) => cards.map((c) => c.id))

    it('filters the catalog by id, owner and text', async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } })
      const problems = watchPage(page)
      try {
        await page.goto(`file://${join(out, 'index.html')}`)
        expect(await page.locator('[data-metric]').count()).toBe(total)
        expect(await page.locator('#count').textContent()).toBe(`${total} of ${total} metrics`)

        await page.fill('#search', 'cohort_revenue_retention')
        expect(await visibleIds(page)).toEqual(['cohort_revenue_retention'])
        expect(await page.locator('#count').textContent()).toBe(`1 of ${total} metrics`)

        await page.fill('#search', 'churn rate')
        const churn = (await visibleIds(page)) as string[]
        expect(churn).toEqual(
          expect.arrayContaining(['logo_churn_rate', 'gross_mrr_churn_rate', 'net_mrr_churn_rate']),
        )
        expect(churn).not.toContain('mrr')
        await page.screenshot({ path: artifactPath('docs-search-churn-rate.png') })

        await page.fill('#search', '')
        await page.selectOption('#owner', 'marketing')
        expect(await visibleIds(page)).toEqual(
          catalog.metrics.filter((m) => m.owner === 'marketing').map((m) => m.id),
        )

        await page.fill('#search', 'no such metric anywhere')
        expect(await visibleIds(page)).toEqual([])
        expect(await page.locator('#no-match').isVisible()).toBe(true)

        await page.fill('#search', '')
        await page.selectOption('#owner', '')
        expect(await page.locator('[data-metric]:visible').count()).toBe(total)
        expect(await page.locator('#no-match').isVisible()).toBe(false)
        expect(problems).toEqual([])
      } finally {
        await page.close()
      }
    })

    it('draws the lineage graph and links every metric to its page with SQL for both engines', async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } })
      const problems = watchPage(page)
      try {
        await page.goto(`file://${join(out, 'index.html')}`)
        const dag = page.locator('#lineage svg.dag')
        const box = await dag.boundingBox()
        expect(box?.width).toBeGreaterThan(300)
        expect(box?.height).toBeGreaterThan(200)
        for (const m of catalog.models) {
          expect(await dag.locator(`g[data-node="semantic:${m.name}"]`).count()).toBe(1)
          expect(await dag.locator(`g[data-node="model:${m.table}"]`).count()).toBe(1)
        }
        expect(await dag.locator('path[data-edge]').count()).toBeGreaterThanOrEqual(catalog.models.length)
        await page.screenshot({ path: artifactPath('docs-index.png') })
        await page.locator('#lineage').screenshot({ path: artifactPath('docs-lineage.png') })

        await page.locator('#nrr h3 a').click()
        await page.waitForURL(/metrics\/nrr\.html$/)
        expect(await page.locator('h1').textContent()).toBe('Net revenue retention (T12M)')
        for (const dialect of ['duckdb', 'athena']) {
          const sql = await page.locator(`pre[data-sql="${dialect}"]`).textContent()
          expect(sql).toMatch(/^WITH /)
          expect(sql).toContain('"marts"."fct_customer_mrr_month"')
        }
        const graph = page.locator('#lineage svg.dag')
        for (const node of ['metric:nrr', 'semantic:customer_mrr', 'model:fct_customer_mrr_month']) {
          const nodeBox = await graph.locator(`g[data-node="${node}"] rect`).boundingBox()
          expect(nodeBox?.width, node).toBeGreaterThan(50)
        }
        expect(await page.locator('table[data-table="dimensions"] th code').allTextContents()).toEqual(
          expect.arrayContaining(['segment', 'region']),
        )
        await page.screenshot({ path: artifactPath('docs-metric-nrr.png'), fullPage: true })

        await page.goto(`file://${join(out, 'metrics', 'ltv.html')}`)
        for (const dep of ['arpa', 'gross_margin', 'logo_churn_rate']) {
          expect(await page.locator(`#lineage g[data-node="metric:${dep}"]`).count()).toBe(1)
        }
        await page.locator('.crumbs a').click()
        await page.waitForURL(/index\.html$/)
        expect(problems).toEqual([])
      } finally {
        await page.close()
      }
    })
  },
)
