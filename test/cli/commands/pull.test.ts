import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../cli/main.js'
import type { PullSummary } from '../../../sources/landing/pull-report.js'
import { FakeStripe } from '../../support/fake-stripe-server.js'
import { capture } from '../capture.js'

const dir = mkdtempSync(join(tmpdir(), 'revops-pull-cli-'))
const saved = { ...process.env }
let fake: FakeStripe

beforeAll(async () => {
  fake = await new FakeStripe().start()
  const day = Math.floor(Date.now() / 1000) - 86_400
  for (let i = 1; i <= 120; i += 1) {
    fake.add('customers', {
      id: `cus_${String(i).padStart(3, '0')}`,
      object: 'customer',
      created: day + i,
      email: `c${i}@example.com`,
    })
  }
  // One customer breaks its contract (currency is not a currency code): quarantined, not lost.
  fake.add('customers', { id: 'cus_bad', object: 'customer', created: day + 500, currency: 'dollars' })
})
afterAll(async () => {
  await fake.stop()
  rmSync(dir, { recursive: true, force: true })
})
afterEach(() => {
  // The command reads its tokens from the process environment.
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
  Object.assign(process.env, saved)
})

function useFake(key = 'sk_test_fake'): void {
  process.env.STRIPE_API_KEY = key
  process.env.STRIPE_API_BASE_URL = fake.url
}

describe('revops pull', () => {
  it('pulls stripe and prints counts and watermarks per entity', async () => {
    useFake()
    const io = capture({ tty: true })
    const code = await runCli(['pull', 'stripe', '--dir', dir], io.streams)
    expect(io.err()).toMatch(/stripe\/backfill_customers: 2 pages, 121 records/)
    expect(code).toBe(0)
    const text = io.out()
    expect(text).toMatch(/^pulled stripe into .*\(pull-stripe-\d{8}T\d{6}Z-[0-9a-f]{6}\): complete$/m)
    expect(text).toMatch(/stripe\/customers\s+120\s+0\s+1\s+\(none\) → \d{4}-\d{2}-\d{2}T/)
    expect(text).toMatch(
      /^ {2}invalid_field \(1\): api:stripe\/customers:1 currency: expected a 3-letter currency code/m,
    )
  })

  it('pulls again incrementally and prints JSON with --json', async () => {
    useFake()
    const io = capture()
    expect(await runCli(['pull', 'stripe', '--dir', dir, '--json'], io.streams)).toBe(0)
    const summary = JSON.parse(io.out()) as PullSummary
    expect(summary.status).toBe('complete')
    expect(summary.feeds.map((f) => f.feed)).toEqual(['changes'])
    const customers = summary.entities.find((e) => e.entity === 'customers')
    expect(customers?.watermark_before).not.toBeNull()
    expect(customers?.landed).toBe(0)
  })

  it('exits non-zero with the reason when the pull cannot finish', async () => {
    useFake('sk_test_revoked')
    const io = capture()
    expect(await runCli(['pull', 'stripe', '--dir', join(dir, 'other')], io.streams)).toBe(1)
    expect(io.err()).toMatch(
      /^revops: pull failed: stripe\/backfill_customers: GET \/v1\/customers failed: HTTP 401 api_key_invalid/m,
    )
    expect(io.err()).toMatch(/check STRIPE_API_KEY/)
  })

  it('names the missing settings, and refuses sources without an API', async () => {
    delete process.env.STRIPE_API_KEY
    const io = capture()
    expect(await runCli(['pull', 'stripe', '--dir', dir], io.streams)).toBe(1)
    expect(io.err()).toMatch(/^revops: stripe pull settings: STRIPE_API_KEY is not set$/m)
    const finance = capture()
    expect(await runCli(['pull', 'finance', '--dir', dir], finance.streams)).toBe(1)
    expect(finance.err()).toMatch(/finance has no vendor API to pull from/)
  })
})
