import { InvalidRequestException, TooManyRequestsException } from '@aws-sdk/client-athena'
import { describe, expect, it } from 'vitest'
import {
  isThrottlingError,
  isTransientApiError,
  isTransientQueryFailure,
  retryDelayMs,
} from '../../../core/engines/athena-retry.js'

function apiError(name: string, status: number): Error {
  return Object.assign(new Error('boom'), { name, $metadata: { httpStatusCode: status } })
}

describe('isTransientApiError', () => {
  it.each([
    ['ThrottlingException', 400],
    ['TooManyRequestsException', 400],
    ['InternalServerException', 500],
    ['SomethingNew', 503],
    ['SomethingNew', 429],
  ])('retries %s (%i)', (name, status) => {
    expect(isTransientApiError(apiError(name, status))).toBe(true)
  })

  it.each([
    ['InvalidRequestException', 400],
    ['ResourceNotFoundException', 400],
    ['AccessDeniedException', 403],
    ['UnrecognizedClientException', 400],
  ])('does not retry %s (%i)', (name, status) => {
    expect(isTransientApiError(apiError(name, status))).toBe(false)
  })

  it("reads the SDK's own exception classes", () => {
    const throttled = new TooManyRequestsException({
      message: 'slow down',
      $metadata: { httpStatusCode: 400 },
    })
    const invalid = new InvalidRequestException({ message: 'bad', $metadata: { httpStatusCode: 400 } })
    expect([isTransientApiError(throttled), isThrottlingError(throttled)]).toEqual([true, true])
    expect([isTransientApiError(invalid), isThrottlingError(invalid)]).toEqual([false, false])
  })

  it('retries dropped sockets but not refused connections', () => {
    expect(isTransientApiError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true)
    expect(isTransientApiError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(false)
    expect(isTransientApiError('not an error')).toBe(false)
  })
})

describe('isTransientQueryFailure', () => {
  it.each([
    ['ICEBERG_COMMIT_ERROR: Failed to commit Iceberg update to table: marts.fct_mrr'],
    [
      'HIVE_CURSOR_ERROR: Please reduce your request rate. (Service: Amazon S3; Status Code: 503; Error Code: SlowDown)',
    ],
    ['AWSGlueException: Rate exceeded (Service: AWSGlue; Status Code: 400; Error Code: ThrottlingException)'],
  ])('resubmits %s', (reason) => {
    expect(isTransientQueryFailure({ StateChangeReason: reason })).toBe(true)
  })

  it("follows Athena's Retryable flag and its internal service error types", () => {
    expect(
      isTransientQueryFailure({ AthenaError: { ErrorCategory: 1, ErrorType: 200, Retryable: true } }),
    ).toBe(true)
    for (const type of [100, 300, 301, 302, 303, 400])
      expect(isTransientQueryFailure({ AthenaError: { ErrorCategory: 1, ErrorType: type } })).toBe(true)
  })

  it.each([
    ['SYNTAX_ERROR: line 1:8: Column amont cannot be resolved', {}],
    ['GENERIC_INTERNAL_ERROR: Value exceeds MAX_INT', { ErrorCategory: 1, ErrorType: 200 }],
    ['Query exhausted resources at this scale factor', { ErrorCategory: 1, ErrorType: 4, Retryable: true }],
    ['HIVE_TOO_MANY_OPEN_PARTITIONS: Exceeded limit of 100 open writers', { Retryable: true }],
    ['ICEBERG_FILESYSTEM_ERROR: Cannot create a table on a non-empty location', { Retryable: true }],
    ['HIVE_PATH_ALREADY_EXISTS: Target directory for table already exists', {}],
    ['', { ErrorType: 0, Retryable: true }],
  ])('never resubmits %s', (reason, athenaError) => {
    expect(isTransientQueryFailure({ StateChangeReason: reason, AthenaError: athenaError })).toBe(false)
  })

  it('needs a status to judge', () => {
    expect(isTransientQueryFailure(undefined)).toBe(false)
  })
})

describe('retryDelayMs', () => {
  it('grows exponentially, is capped, and keeps at least half of each step', () => {
    const options = { baseMs: 100, maxMs: 1_000 }
    expect([0, 1, 2, 3, 4, 10].map((retry) => retryDelayMs(retry, options, () => 0))).toEqual([
      50, 100, 200, 400, 500, 500,
    ])
    expect([0, 1, 2, 3, 4, 10].map((retry) => retryDelayMs(retry, options, () => 1))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ])
  })
})
