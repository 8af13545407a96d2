import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allDialects } from '../../../core/sql/dialects.js'
import { Catalog } from '../../../semantic/catalog.js'
import { type DocsFile, docsSite } from '../../../semantic/docs/docs-site.js'
import { projectLineage } from '../../../semantic/docs/lineage.js'
import { billingMetrics } from '../../../semantic/metrics/billing.js'
import { customers } from '../../../semantic/models/customers.js'
import { customerMrr } from '../../../semantic/models/revenue.js'
import { projectCatalog } from '../../../semantic/project.js'
import { defineMetric } from '../../../semantic/spec/metric.js'
import { createGraph } from '../../../transforms/framework/index.js'
import { MART_CONTRACTS } from '../../../transforms/models/marts/contracts.js'
import { miniProject } from '../../fixtures/docs/mini-project.js'
import { artifactPath, chromiumMissing, launchChromium, watchPage } from '../../support/browser.js'

const catalog = projectCatalog()
const site = (c: Catalog, models = miniProject) =>
  docsSite({
    catalog: c,
    project: projectLineage(createGraph(models)),
    marts: Object.keys(MART_CONTRACTS),
    dialects: allDialects(),
    generatedAt: new Date('2026-01-02T03:04:05Z'),
  })
const page = (files: readonly DocsFile[], path: string) => files.find((f) => f.path === path)?.content ?? ''

describe('docs site', () => {
  const files = site(catalog)

  it('says how far lineage reaches while the transforms registry is partial', () => {
    const tables = new Set(catalog.models.map((m) => m.table))
    expect(page(files, 'index.html')).toContain(
      `1 of the ${tables.size} mart tables the semantic layer reads are built by registered models`,
    )
    expect(page(site(catalog, []), 'index.html')).toContain(
      'The transforms registry lists no models yet, so lineage stops at the mart tables',
    )
    expect(page(files, 'metrics/mrr.html')).toContain(
      'Read from the raw source entities stripe.customers, stripe.invoices.',
    )
    expect(page(files, 'metrics/win_rate.html')).toContain(
      'The mart fct_opportunity is not built by a model of the transforms registry yet',
    )
  })

  it('shows why a metric does not compile instead of failing the whole catalog', () => {
    const broken = new Catalog(
      [customerMrr, customers],
      [
        ...billingMetrics.filter((m) => m.id === 'mrr'),
        defineMetric({
          id: 'broken_metric',
          label: 'Broken',
          owner: 'revops',
          description: 'Reads a measure that does not exist, to show the error.',
          unit: 'count',
          status: 'draft',
          version: '0.1.0',
          fill: 'zero',
          type: 'simple',
          measure: 'customer_mrr.no_such_measure',
        }),
      ],
    )
    const html = page(site(broken), 'metrics/broken_metric.html')
    expect(html).toMatch(
      /<p class="note" data-sql="duckdb">Does not compile for duckdb: [^<]*no_such_measure/,
    )
    expect(html).toMatch(/data-sql="athena">Does not compile for athena/)
  })
})

describe.skipIf(chromiumMissing)(
  chromiumMissing ? `docs lineage in a browser (${chromiumMissing})` : 'docs lineage in a browser',
  () => {
    let browser: Browser
    const root = mkdtempSync(join(tmpdir(), 'revops-docs-site-'))
    beforeAll(async () => {
      for (const file of site(catalog)) {
        const path = join(root, file.path)
        mkdirSync(dirname(path), { recursive: true })
        writeFileSync(path, file.content)
      }
      browser = await launchChromium()
    })
    afterAll(async () => {
      await browser?.close()
      rmSync(root, { recursive: true, force: true })
    })

    it('draws a metric’s lineage from raw sources through models to the metric, left to right', async () => {
      const tab = await browser.newPage({ viewport: { width: 1200, height: 900 } })
      const problems = watchPage(tab)
      try {
        await tab.goto(`file://${join(root, 'metrics', 'arpa.html')}`)
        const x = async (node: string) => {
          const box = await tab.locator(`#lineage g[data-node="${node}"] rect`).boundingBox()
          expect(box?.width, node).toBeGreaterThan(0)
          return box?.x ?? Number.NaN
        }
        const chain = [
          'source:raw.stripe__invoices',
          'model:stg_stripe__invoices',
          'model:int_customer_months',
          'model:fct_customer_mrr_month',
          'semantic:customer_mrr',
          'metric:mrr',
          'metric:arpa',
        ]
        const xs = []
        for (const node of chain) xs.push(await x(node))
        expect(xs).toEqual([...xs].sort((a, b) => a - b))
        expect(new Set(xs).size).toBe(chain.length)
        await tab.locator('#lineage').screenshot({ path: artifactPath('docs-lineage-arpa.png') })
        // Metric nodes link to their pages.
        await tab.locator('#lineage a', { has: tab.locator('g[data-node="metric:mrr"]') }).click()
        await tab.waitForURL(/metrics\/mrr\.html$/)
        expect(problems).toEqual([])
      } finally {
        await tab.close()
      }
    })
  },
)
