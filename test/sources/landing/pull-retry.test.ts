import { describe, expect, it } from 'vitest'
import {
  DEFAULT_RETRY_POLICY,
  DeadlineReached,
  httpVerdict,
  Retrier,
  retryAfterMs,
  VendorCallError,
} from '../../../sources/landing/pull-retry.js'

/** A retrier whose sleeps are recorded, not waited (no real time passes in these tests). */
function retrier(remaining = Number.POSITIVE_INFINITY) {
  const sleeps: number[] = []
  const r = new Retrier(
    {
      ...DEFAULT_RETRY_POLICY,
      sleep: async (ms) => {
        sleeps.push(ms)
      },
      random: () => 1,
    },
    { remainingMs: () => remaining, marginMs: 60_000 },
  )
  return { r, sleeps }
}

/** A call failing with the given statuses, then answering `ok`. */
function flaky(statuses: number[], retryAfter?: string) {
  let calls = 0
  return async () => {
    const status = statuses[calls]
    calls += 1
    if (status !== undefined) throw Object.assign(new Error(`HTTP ${status}`), { status, retryAfter })
    return 'ok'
  }
}
const classify = (error: unknown) => {
  const e = error as { status: number; retryAfter?: string }
  return httpVerdict(e.status, e.retryAfter)
}

describe('Retrier', () => {
  it('backs off exponentially on 5xx and honours Retry-After on 429', async () => {
    const { r, sleeps } = retrier()
    expect(await r.call('GET /x', flaky([500, 502, 503]), classify)).toBe('ok')
    expect(sleeps).toEqual([1000, 2000, 4000])
    const limited = retrier()
    expect(await limited.r.call('GET /x', flaky([429], '12'), classify)).toBe('ok')
    expect(limited.sleeps).toEqual([12_000])
    expect(limited.r.stats).toMatchObject({ calls: 2, retries: 1, rate_limited: 1, waited_ms: 12_000 })
  })

  it('fails at once on what retrying cannot fix, and after the last attempt on what it could', async () => {
    const { r, sleeps } = retrier()
    await expect(r.call('GET /x', flaky([404]), classify)).rejects.toThrow(
      'GET /x failed: HTTP 404: HTTP 404',
    )
    expect(sleeps).toEqual([])
    const stubborn = flaky([500, 500, 500, 500, 500, 500, 500])
    await expect(r.call('GET /x', stubborn, classify)).rejects.toThrow(/still failing after 6 attempts/)
    await expect(r.call('GET /x', flaky([429], '3600'), classify)).rejects.toBeInstanceOf(VendorCallError)
  })

  it('stops the run instead of waiting past the deadline', async () => {
    const { r, sleeps } = retrier(70_000)
    await expect(r.call('GET /x', flaky([429], '30'), classify)).rejects.toBeInstanceOf(DeadlineReached)
    expect(sleeps).toEqual([])
  })
})

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(retryAfterMs('7')).toBe(7000)
    expect(retryAfterMs('1.5')).toBe(1500)
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('2015-10-21T07:28:00Z'))).toBe(30_000)
    expect(retryAfterMs('soon')).toBeUndefined()
    expect(retryAfterMs(undefined)).toBeUndefined()
  })
})
