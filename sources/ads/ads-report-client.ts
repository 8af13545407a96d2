import type { z } from 'zod'
import { httpVerdict, isNetworkError, type RetryVerdict, VendorCallError } from '../landing/pull-retry.js'
import type { PullRun } from '../landing/pull-run.js'

/** An HTTP answer outside 2xx, with what the platform said. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError'
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}: ${JSON.stringify(body)?.slice(0, 300)}`)
  }
}

/**
 * The one small reporting client the ad platforms share: `fetch`, a timeout, the pull's retry
 * policy (429 with Retry-After, 5xx, dropped connections, the run's deadline) and zod at the
 * boundary. A platform adds its URL, headers, response schema and, where it signals rate limits
 * its own way, a verdict.
 */
export class ReportClient {
  constructor(
    private readonly run: PullRun,
    private readonly options: {
      /** Names the token setting in advice on 401/403, e.g. `META_ACCESS_TOKEN`. */
      readonly tokenSetting: string
      readonly verdict?: (error: unknown) => RetryVerdict | undefined
      readonly timeoutMs?: number
    },
  ) {}

  async json<S extends z.ZodType>(
    what: string,
    url: string,
    init: RequestInit,
    schema: S,
  ): Promise<z.output<S>> {
    const body = await this.run.retrier.call(
      what,
      () => this.fetchJson(url, init),
      (error) => this.verdict(error),
    )
    const parsed = schema.safeParse(body)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new VendorCallError(
        `${what} returned an unexpected answer at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
      )
    }
    return parsed.data
  }

  private async fetchJson(url: string, init: RequestInit): Promise<unknown> {
    const response = await fetch(url, {
      ...init,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 120_000),
    })
    const text = await response.text()
    let body: unknown = text
    try {
      body = text === '' ? null : JSON.parse(text)
    } catch {
      // Not JSON (a proxy's error page): kept as text for the message.
    }
    if (!response.ok) throw new HttpStatusError(response.status, response.headers, body)
    return body
  }

  private verdict(error: unknown): RetryVerdict {
    const own = this.options.verdict?.(error)
    if (own !== undefined) return own
    if (error instanceof HttpStatusError) {
      const verdict = httpVerdict(error.status, error.headers.get('retry-after') ?? undefined)
      return error.status === 401 || error.status === 403
        ? { ...verdict, hint: `check ${this.options.tokenSetting} and its access to the ad account` }
        : verdict
    }
    if (isNetworkError(error) || (error as { name?: unknown } | null)?.name === 'TimeoutError') {
      return { retry: true, reason: 'connection error' }
    }
    return { retry: false, reason: 'error' }
  }
}
