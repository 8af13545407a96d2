import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { build, progressLine } from '../../../cli/commands/build.js'
import { test as testCommand } from '../../../cli/commands/test.js'
import { createContext } from '../../../cli/context.js'
import { runCli } from '../../../cli/main.js'
import { LocalLakeStore } from '../../../core/lake/local-lake-store.js'
import { invoice, land, landDayOne } from '../../fixtures/transforms/lake.js'
import { models } from '../../fixtures/transforms/models/index.js'
import { capture } from '../capture.js'

const dir = mkdtempSync(join(tmpdir(), 'revops-cli-build-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('revops build and revops test', () => {
  it('says plainly that there is nothing to build for a project that lists no models', async () => {
    const io0 = capture()
    expect(await build(io0.ctx(dir), {}, [])).toBe(0)
    expect(io0.out()).toBe('no models: transforms/models/index.ts lists none\n')
    const json = capture({ json: true })
    expect(await build(json.ctx(dir), {}, [])).toBe(0)
    expect(JSON.parse(json.out())).toMatchObject({ models: [], ok: true })
  })

  it('builds a project, prints a table of models, and writes the artifacts', async () => {
    await landDayOne(new LocalLakeStore(join(dir, 'lake')))
    const io = capture()
    expect(await build(io.ctx(dir), { threads: '2' }, models)).toBe(0)
    expect(io.out()).toMatch(/^model\s+status\s+materialized\s+rows\s+seconds\s+physical\n/)
    expect(io.out()).toMatch(/\nfct_invoices\s+success\s+incremental merge\s+3\s/)
    expect(io.out()).toMatch(/5 models: 5 success; 18 checks: 18 pass\n$/)
    const results = JSON.parse(readFileSync(join(dir, 'artifacts', 'run_results.json'), 'utf8'))
    expect(results.models).toHaveLength(5)
  })

  it('reports failing tests with their first rows and exits 1', async () => {
    await land(new LocalLakeStore(join(dir, 'lake')), 'invoices', '2024-01-05T06:00:00.000Z', [
      invoice('in_bad', 'c1', -100, '2024-01-05', 'paid', '2024-01-05T01:00:00.000Z'),
    ])
    const io = capture()
    expect(await build(io.ctx(dir), { select: ['stg_invoices+'] }, models)).toBe(1)
    expect(io.out()).toContain(
      '\nFAIL stg_invoices amount_is_not_negative (expression, error): 1 failing row\n',
    )
    expect(io.out()).toMatch(/invoice_id\s+customer_id\s+status\s+amount\s+invoice_date\s+updated_at\n/)
    expect(io.out()).toMatch(/in_bad\s+c1\s+paid\s+-1\s+2024-01-05/)
    expect(io.out()).toMatch(/3 models: 1 test_failure, 2 skipped/)
  })

  it('rejects a bad --threads as a usage problem, and an unknown model with a hint', async () => {
    const io = capture()
    expect(await runCli(['build', '--dir', dir, '--threads', '0'], io.streams)).toBe(1)
    expect(io.err()).toBe('revops: --threads must be a whole number >= 1\n')
    await expect(build(capture().ctx(dir), { threads: '0' }, models)).rejects.toThrow(
      '--threads must be a whole number >= 1',
    )
    await expect(build(capture().ctx(dir), { select: ['fct_invoice'] }, models)).rejects.toThrow(
      'no model named fct_invoice',
    )
  })

  it('revops test prints every check as JSON with --json', async () => {
    const io = capture({ json: true })
    const code = await testCommand(io.ctx(dir), {}, models)
    const results = JSON.parse(io.out())
    expect(results.command).toBe('test')
    expect(results.checks.find((c: { name: string }) => c.name === 'sums_per_day').status).toBe('pass')
    // The lake's data is from 2024: the sources are stale, which is an error-severity failure.
    expect(results.checks.find((c: { model: string }) => c.model === 'raw.stripe__customers').status).toBe(
      'fail',
    )
    expect(code).toBe(1)
  })

  it('prints one progress line per model on a terminal', async () => {
    const io = capture()
    const terminal = { ...io.streams, stderr: Object.assign(io.streams.stderr, { isTTY: true }) }
    expect(await build(createContext({ dir }, terminal), { select: ['dim_customers'] }, models)).toBe(0)
    expect(io.err()).toMatch(
      /^\[1\/1\] dim_customers …\n\[1\/1\] REUSED dim_customers \(table, \d+\.\d\ds\)\n$/,
    )
    expect(
      progressLine({
        kind: 'check_finished',
        result: {
          model: 'raw.stripe__customers',
          name: 'freshness',
          kind: 'freshness',
          severity: 'warn',
          status: 'warn',
          failures: 1,
          rows: [],
          message: undefined,
          seconds: 0,
          bytesScanned: 0,
        },
      }),
    ).toBe('WARN    raw.stripe__customers freshness')
  })
})
