import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { buildProgram } from '../cli/main.js'
import { validateAthenaSql } from '../core/sql/athena/athena-sql-check.js'
import { Catalog } from '../semantic/catalog.js'
import { checkSemantic } from '../semantic/check.js'
import { metricCases } from '../semantic/metrics/cases/index.js'
import { projectCatalog } from '../semantic/project.js'
import type { Metric } from '../semantic/spec/metric.js'
import type { MetricCase } from '../semantic/testing/metric-case.js'
import { runMetricCase } from '../semantic/testing/run-metric-case.js'
import { artifactPath } from './support/browser.js'

// CONTRIBUTING.md's walk-through, followed as written: its example definition and case are taken
// out of the file, added to the project's catalog, and put through `revops check` and the case runner.
const root = fileURLToPath(new URL('../', import.meta.url))
const guide = readFileSync(join(root, 'CONTRIBUTING.md'), 'utf8')
const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string)
const block = (call: string) => {
  const found = blocks.find((b) => b.includes(`\n${call}(`))
  if (!found) throw new Error(`CONTRIBUTING.md has no ${call} example`)
  // As written it is an array element: a leading comment and a trailing comma.
  return found.replace(/^\/\/.*\n/, '').replace(/,\s*$/, '')
}

const module = artifactPath(`contributing-example-${process.pid}.ts`)
afterAll(() => rmSync(module, { force: true }))

async function loadExample(): Promise<{ metric: Metric; metricCase: MetricCase }> {
  writeFileSync(
    module,
    [
      "import { defineMetric } from '../../semantic/spec/metric.js'",
      "import { defineMetricCase } from '../../semantic/testing/metric-case.js'",
      `export const metric = ${block('defineMetric')}`,
      `export const metricCase = ${block('defineMetricCase')}`,
      '',
    ].join('\n'),
  )
  return (await import(module)) as { metric: Metric; metricCase: MetricCase }
}

describe('CONTRIBUTING.md', () => {
  it('adds a new metric whose definition passes revops check', async () => {
    const { metric, metricCase } = await loadExample()
    const catalog = projectCatalog()
    expect(catalog.metric(metric.id)).toBeUndefined()
    const problems = await checkSemantic({
      models: catalog.models,
      metrics: [...catalog.metrics, metric],
      cases: [...metricCases, metricCase],
      validateAthenaSql,
    })
    expect(problems).toEqual([])
  })

  it('tests it with a case that passes', async () => {
    const { metric, metricCase } = await loadExample()
    const base = projectCatalog()
    const result = await runMetricCase(new Catalog(base.models, [...base.metrics, metric]), metricCase)
    expect(result.problems).toEqual([])
    expect(result.rows.length).toBe(metricCase.expect.length)
  })

  it('names files that exist and commands that exist', () => {
    const paths = [...guide.matchAll(/`((?:semantic|transforms|cli|core|\.github)\/[^`\s]+)`/g)].map((m) =>
      (m[1] as string).replace('<domain>', 'billing').replace('/*.ts', ''),
    )
    expect(paths.length).toBeGreaterThan(5)
    for (const path of paths) expect(existsSync(join(root, path)), path).toBe(true)

    const commands = new Set(buildProgram({} as never, () => {}).commands.map((c) => c.name()))
    const used = [...guide.matchAll(/npx revops ([a-z]+)/g)].map((m) => m[1] as string)
    expect(new Set(used)).toEqual(new Set(['check', 'test', 'metrics', 'docs', 'demo', 'snapshot', 'diff']))
    for (const command of used) expect(commands, command).toContain(command)

    const scripts = z
      .object({ scripts: z.record(z.string(), z.string()) })
      .parse(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))).scripts
    for (const [, name] of guide.matchAll(/`npm (?:run )?([a-z]+)`/g))
      if (name !== 'ci') expect(Object.keys(scripts), String(name)).toContain(name)
  })
})
