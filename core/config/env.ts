import type { z } from 'zod'
import { UserError } from '../errors.js'

/**
 * Parses environment variables once, with a message naming every bad variable. Use at the edge
 * (CLI start, Lambda cold start), never deep inside library code.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env)
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`)
    throw new UserError(`invalid environment: ${problems.join('; ')}`)
  }
  return result.data
}
