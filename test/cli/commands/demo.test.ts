import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { runCli } from '../../../cli/main.js'

const root = mkdtempSync(join(tmpdir(), 'revops-demo-'))
const dir = join(root, '.revops')
afterAll(() => rmSync(root, { recursive: true, force: true }))

async function revops(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  stdout.on('data', (d) => out.push(String(d)))
  stderr.on('data', (d) => err.push(String(d)))
  const code = await runCli(['--dir', dir, ...argv], { stdout, stderr, env: {} })
  return { code, stdout: out.join(''), stderr: err.join('') }
}

const Count = z.object({
  source: z.string(),
  landed: z.number(),
  duplicate: z.number(),
  quarantined: z.number(),
})
const DemoJson = z.object({
  landed: z.array(Count.loose()),
  build: z.object({
    ok: z.boolean(),
    models: z.number(),
    built: z.number(),
    reused: z.number(),
    tests: z.number(),
    passed: z.number(),
  }),
  views: z.number(),
  scorecard: z.array(
    z.object({ metric: z.string(), period: z.string(), value: z.number().nullable() }).loose(),
  ),
  report: z.string(),
  docs: z.string(),
})

describe('revops demo', () => {
  let first: z.infer<typeof DemoJson>

  it('lands, builds, tests, publishes the views, answers the scorecard and writes the report and docs', async () => {
    const result = await revops('demo', '--scale', '0.3', '--json')
    expect(result.code, result.stderr).toBe(0)
    first = DemoJson.parse(JSON.parse(result.stdout))
    expect(first.landed.map((s) => s.source)).toEqual(['stripe', 'salesforce', 'hubspot', 'ads', 'finance'])
    for (const source of first.landed) {
      expect(source.landed, source.source).toBeGreaterThan(0)
      expect(source.quarantined, source.source).toBe(0)
    }
    expect(first.build).toMatchObject({ ok: true, reused: 0 })
    expect(first.build.built).toBe(first.build.models)
    expect(first.build.passed).toBe(first.build.tests)
    expect(first.views).toBeGreaterThanOrEqual(40)
    expect(first.scorecard.map((l) => l.metric)).toContain('mrr')
    expect(first.scorecard.find((l) => l.metric === 'mrr')?.value).toBeGreaterThan(0)
    expect(readFileSync(first.report, 'utf8')).toContain('<svg')
    expect(existsSync(first.docs)).toBe(true)
  })

  it('answers the same MRR through revops query as on the scorecard', async () => {
    const mrr = first.scorecard.find((l) => l.metric === 'mrr')
    const result = await revops('query', 'mrr', '--grain', 'month', '--format', 'json')
    expect(result.code, result.stderr).toBe(0)
    const rows = z
      .object({ rows: z.array(z.object({ period: z.string(), mrr: z.number().nullable() })) })
      .parse(JSON.parse(result.stdout)).rows
    expect(rows.find((r) => r.period === mrr?.period)?.mrr).toBeCloseTo(mrr?.value ?? Number.NaN, 6)
  })

  it('re-runs idempotently: nothing lands twice, every model is reused, the numbers do not move', async () => {
    const result = await revops('demo', '--scale', '0.3', '--json')
    expect(result.code, result.stderr).toBe(0)
    const again = DemoJson.parse(JSON.parse(result.stdout))
    for (const [i, source] of again.landed.entries()) {
      expect(source.landed, source.source).toBe(0)
      expect(source.duplicate, source.source).toBe(first.landed[i]?.landed)
    }
    expect(again.build).toMatchObject({ ok: true, built: 0, reused: first.build.models })
    expect(again.scorecard).toEqual(first.scorecard)
  })
})
