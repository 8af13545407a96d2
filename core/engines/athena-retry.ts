import type { QueryExecutionStatus } from '@aws-sdk/client-athena'

/**
 * Which Athena failures are worth another try. Only throttling and failures known to be
 * transient are retried: a catch-all retry re-runs deterministic errors and loops on them
 * (dbt-athena's `ICEBERG_FILESYSTEM_ERROR` loops; see research/transforms.md §2 and §6).
 */

/** API error names that mean "slow down" or a passing service fault (Athena, and AWS-wide spellings). */
const TRANSIENT_API_ERRORS = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'SlowDown',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
])

/** Socket-level failures of a request that never got an answer. */
const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT'])

/** True for an SDK error that a later identical request may not get: throttling, 5xx, dropped sockets. */
export function isTransientApiError(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  if (TRANSIENT_API_ERRORS.has(error.name)) return true
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
  if (status !== undefined && (status === 429 || status >= 500)) return true
  if (error.name === 'TimeoutError') return true
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)
}

/** True for a throttling error specifically (reported differently: the cure is less concurrency). */
export function isThrottlingError(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
  return /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/.test(error.name) || status === 429
}

/**
 * Failures that are deterministic even when they look like capacity problems: re-running them
 * costs money and fails the same way. They win over every transient rule below.
 */
const NEVER_TRANSIENT = [
  // Athena error types 0-8; the same query at the same scale exhausts the same resources.
  /exhausted resources at this scale factor/i,
  // The 100-writer limit: only batching the write helps.
  /TOO_MANY_OPEN_PARTITIONS/,
  // A CTAS onto a non-empty location: retrying loops forever (dbt-adapters #1739).
  /ICEBERG_FILESYSTEM_ERROR/,
  /HIVE_PATH_ALREADY_EXISTS/,
]

/** Reasons for a FAILED query that a resubmission is expected to get past. */
const TRANSIENT_REASONS = [
  // Concurrent writers collided on an Iceberg commit (dbt-athena's `num_iceberg_retries`).
  /ICEBERG_COMMIT_ERROR/,
  // S3 throttling surfaced inside the query (`Please reduce your request rate`, error code SlowDown).
  /\bSlowDown\b/,
  /Please reduce your request rate/i,
  // Glue or STS throttling surfaced inside the query.
  /Rate exceeded/i,
  /ThrottlingException|TooManyRequestsException/,
]

/** Athena error types documented as "Internal service error" (the Athena error catalog). */
const INTERNAL_SERVICE_ERROR_TYPES = new Set([100, 300, 301, 302, 303, 400])

/** Whether a FAILED query should be submitted again. */
export function isTransientQueryFailure(status: QueryExecutionStatus | undefined): boolean {
  const error = status?.AthenaError
  const text = `${status?.StateChangeReason ?? ''}\n${error?.ErrorMessage ?? ''}`
  if (NEVER_TRANSIENT.some((pattern) => pattern.test(text))) return false
  if (error?.ErrorType !== undefined && error.ErrorType >= 0 && error.ErrorType <= 8) return false
  // Athena's own verdict: "True if the query might succeed if resubmitted."
  if (error?.Retryable === true) return true
  if (error?.ErrorType !== undefined && INTERNAL_SERVICE_ERROR_TYPES.has(error.ErrorType)) return true
  return TRANSIENT_REASONS.some((pattern) => pattern.test(text))
}

export interface BackoffOptions {
  readonly baseMs: number
  readonly maxMs: number
}

/**
 * Exponential backoff with "equal jitter": half the capped exponential step is fixed, half is
 * random, so concurrent clients spread out but never retry at once.
 */
export function retryDelayMs(
  retry: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const step = Math.min(options.maxMs, options.baseMs * 2 ** retry)
  return step / 2 + (random() * step) / 2
}
