/**
 * Two kinds of failure: a `UserError` is something the user can fix (bad input, unknown metric,
 * a failed query with the engine's reason) and is printed as one line; any other `Error` is a bug.
 */
export class UserError extends Error {
  override readonly name = 'UserError'
  /** Optional one-line advice printed after the message. */
  readonly hint: string | undefined

  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.hint = options?.hint
  }
}

/** A command or capability that exists in the CLI surface but is not available yet. */
export class NotBuiltError extends UserError {
  override readonly name = 'UserError'
}

/** The first line of an error's message, for one-line reports. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.split('\n', 1)[0] ?? text
}
