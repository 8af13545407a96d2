import { setTimeout as sleep } from 'node:timers/promises'
import { oneLine, UserError } from '../../core/errors.js'

/** How a failed vendor call is treated. */
export interface RetryVerdict {
  readonly retry: boolean
  /** The wait the vendor asked for (Retry-After), in milliseconds. */
  readonly waitMs?: number
  readonly rateLimited?: boolean
  /** A short reason for messages, e.g. `HTTP 429 rate_limit`. */
  readonly reason: string
  /** Advice for a failure the user can fix (a bad token, a missing scope). */
  readonly hint?: string
}

export interface RetryPolicy {
  /** Tries in all, the first one included. */
  readonly attempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  /** A vendor asking for a longer wait than this (a daily quota) fails the call instead. */
  readonly maxWaitMs: number
  readonly sleep: (ms: number) => Promise<void>
  readonly random: () => number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 6,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxWaitMs: 300_000,
  sleep: (ms) => sleep(ms),
  random: Math.random,
}

/** Calls, retries and rate limits of one pull run (for the summary and the logs). */
export interface PullStats {
  calls: number
  retries: number
  rate_limited: number
  waited_ms: number
}

/** The time budget of a run: a Lambda stops starting new work this close to its deadline. */
export interface Deadline {
  /** Milliseconds left, Infinity when there is no deadline (the CLI). */
  remainingMs(): number
  readonly marginMs: number
}

export const NO_DEADLINE: Deadline = { remainingMs: () => Number.POSITIVE_INFINITY, marginMs: 0 }

export function deadlineNear(deadline: Deadline, extraMs = 0): boolean {
  return deadline.remainingMs() - extraMs < deadline.marginMs
}

export const DEADLINE_NOTE = 'stopped near the Lambda deadline; continued next run'

/** The run stopped because its time is nearly up; what landed stays and the next run continues. */
export class DeadlineReached extends Error {
  override readonly name = 'DeadlineReached'
}

/** A vendor call failed for good (not retryable, or still failing after every attempt). */
export class VendorCallError extends UserError {}

/**
 * Calls vendors with one retry policy for every source: rate limits (429, honouring Retry-After)
 * and transient failures (5xx, dropped connections) back off exponentially with jitter; anything
 * else fails at once. A wait that would pass the run's deadline stops the run instead, so a
 * Lambda never dies mid-wait.
 */
export class Retrier {
  readonly stats: PullStats = { calls: 0, retries: 0, rate_limited: 0, waited_ms: 0 }

  constructor(
    private readonly policy: RetryPolicy,
    private readonly deadline: Deadline,
  ) {}

  async call<T>(
    what: string,
    fn: () => PromiseLike<T>,
    classify: (error: unknown) => RetryVerdict,
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      this.stats.calls += 1
      try {
        return await fn()
      } catch (error) {
        if (error instanceof DeadlineReached) throw error
        const verdict = classify(error)
        if (verdict.rateLimited) this.stats.rate_limited += 1
        const detail = `${verdict.reason}: ${oneLine(error).slice(0, 300)}`
        if (!verdict.retry) {
          throw new VendorCallError(`${what} failed: ${detail}`, {
            ...(verdict.hint ? { hint: verdict.hint } : {}),
            cause: error,
          })
        }
        if (attempt >= this.policy.attempts) {
          throw new VendorCallError(`${what} still failing after ${attempt} attempts: ${detail}`, {
            cause: error,
          })
        }
        if (verdict.waitMs !== undefined && verdict.waitMs > this.policy.maxWaitMs) {
          throw new VendorCallError(
            `${what} failed: ${detail} (the vendor asks to wait ${Math.round(verdict.waitMs / 1000)} s)`,
            { cause: error },
          )
        }
        const delay = verdict.waitMs ?? this.backoff(attempt)
        if (deadlineNear(this.deadline, delay)) {
          throw new DeadlineReached(`${what}: ${verdict.reason}; waiting ${delay} ms would pass the deadline`)
        }
        this.stats.retries += 1
        this.stats.waited_ms += delay
        await this.policy.sleep(delay)
      }
    }
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempt - 1))
    return Math.round(ceiling * (0.5 + this.policy.random() / 2))
  }
}

/** Milliseconds of a `Retry-After` header (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(value: unknown, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value
  if (typeof text !== 'string' || text.trim() === '') return undefined
  if (/^\d+(\.\d+)?$/.test(text.trim())) return Math.round(Number(text.trim()) * 1000)
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
])

/** A dropped connection or a timeout somewhere in the error's cause chain. */
export function isNetworkError(error: unknown): boolean {
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth += 1) {
    if (typeof current !== 'object' || current === null) return false
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true
    const name = (current as { name?: unknown }).name
    if (name === 'FetchError' || name === 'StripeConnectionError') return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

/** The verdict for an HTTP status: 429 and 5xx are retried, with the vendor's Retry-After if given. */
export function httpVerdict(status: number | undefined, retryAfter?: unknown): RetryVerdict {
  const waitMs = retryAfterMs(retryAfter)
  if (status === 429)
    return { retry: true, rateLimited: true, reason: 'HTTP 429', ...(waitMs ? { waitMs } : {}) }
  if (status !== undefined && status >= 500)
    return { retry: true, reason: `HTTP ${status}`, ...(waitMs ? { waitMs } : {}) }
  if (status === 401 || status === 403) {
    return {
      retry: false,
      reason: `HTTP ${status}`,
      hint: 'check the token and its scopes (env or the secret named by REVOPS_SECRET_ARN)',
    }
  }
  return { retry: false, reason: status === undefined ? 'error' : `HTTP ${status}` }
}
