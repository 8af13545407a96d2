import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { runCli } from '../../cli/main.js'
import type { LandSummary } from '../../sources/landing/land-report.js'
import { capture } from './capture.js'

const EXPORTS = join(import.meta.dirname, '../fixtures/exports')

const dir = mkdtempSync(join(tmpdir(), 'revops-land-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterEach(() => {
  vi.useRealTimers()
})

describe('revops land', () => {
  it('lands a folder and prints counts per entity', async () => {
    const io = capture()
    const code = await runCli(
      ['land', 'salesforce', '--from', join(EXPORTS, 'salesforce'), '--dir', dir],
      io.streams,
    )
    expect(io.err()).toBe('')
    expect(code).toBe(0)
    expect(io.out()).toMatch(/salesforce\/opportunity\s+1\s+3\s+0\s+0/)
    expect(io.out()).toMatch(/total\s+9\s+17\s+0\s+0/)
  })

  it('lands nothing new the next time, even on another day', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2031-02-03T04:05:06Z'))
    const io = capture()
    expect(
      await runCli(
        ['land', 'salesforce', '--from', join(EXPORTS, 'salesforce'), '--dir', dir, '--json'],
        io.streams,
      ),
    ).toBe(0)
    const summary = JSON.parse(io.out()) as LandSummary
    expect(summary.ingested_at).toBe('2031-02-03T04:05:06.000Z')
    expect(summary.totals).toEqual({ landed: 0, duplicate: 17, quarantined: 0 })
  })

  it('prints one line per quarantine reason with file:line, and still exits 0', async () => {
    const io = capture()
    const code = await runCli(
      ['land', 'stripe', '--from', join(EXPORTS, 'broken/stripe'), '--dir', dir],
      io.streams,
    )
    expect(code).toBe(0)
    const text = io.out()
    expect(text).toMatch(/stripe\/charges\s+1\s+3\s+0\s+4/)
    expect(text).toMatch(/\(unknown files\)\s+2\s+0\s+0\s+2/)
    expect(text).toMatch(/^ {2}invalid_field \(2\): charges\.jsonl:3 amount: expected number/m)
    expect(text).toMatch(/^ {2}missing_field \(1\): charges\.jsonl:4 missing currency$/m)
    expect(text).toMatch(/^ {2}unreadable_file \(2\): invoices\.jsonl\.gz:234 gzip data is truncated/m)
    expect(text).toMatch(/^ {2}unknown_file \(2\): notes\.txt not an export file/m)
  })

  it('prints machine-readable JSON with --json', async () => {
    const io = capture({ tty: true })
    expect(
      await runCli(['land', 'ads', '--from', join(EXPORTS, 'ads'), '--dir', dir, '--json'], io.streams),
    ).toBe(0)
    const summary = JSON.parse(io.out()) as LandSummary
    expect(summary.source).toBe('ads')
    expect(summary.entities.map((e) => [e.entity, e.landed])).toEqual([
      ['ad_spend', 2],
      ['google_ads', 3],
      ['linkedin_ads', 1],
      ['meta_ads', 2],
    ])
    expect(io.err()).toBe('')
  })

  it('shows progress on a terminal only', async () => {
    const io = capture({ tty: true })
    expect(
      await runCli(['land', 'finance', '--from', join(EXPORTS, 'finance'), '--dir', dir], io.streams),
    ).toBe(0)
    expect(io.err()).toContain('quotas.csv → finance/quotas')
  })

  it('exits non-zero when nothing could be read', async () => {
    const io = capture()
    expect(
      await runCli(['land', 'hubspot', '--from', join(EXPORTS, 'finance'), '--dir', dir], io.streams),
    ).toBe(1)
    expect(io.err()).toContain('nothing could be read')
    expect(io.out()).toMatch(/unknown_file \(5\)/)
  })

  it('rejects a missing folder and an unknown source in one line', async () => {
    const missing = capture()
    expect(await runCli(['land', 'stripe', '--from', join(dir, 'nope'), '--dir', dir], missing.streams)).toBe(
      1,
    )
    expect(missing.err()).toMatch(/^revops: --from .*nope: no such file or folder\n$/)
    const unknown = capture()
    expect(await runCli(['land', 'zuora', '--from', EXPORTS, '--dir', dir], unknown.streams)).toBe(1)
    expect(unknown.err()).toContain('unknown source "zuora"')
  })
})
