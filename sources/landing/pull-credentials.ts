import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { z } from 'zod'
import { oneLine, UserError } from '../../core/errors.js'

export type Env = Readonly<Record<string, string | undefined>>

/** The env variable naming the Secrets Manager secret that holds a source's tokens. */
export const SECRET_ARN_ENV = 'REVOPS_SECRET_ARN'

/** A secret's value: a JSON object of env-style keys, e.g. `{"STRIPE_API_KEY": "rk_live_…"}`. */
const SecretValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))

/** Secrets are read once per container and kept this long (a rotated token is picked up after). */
const CACHE_MS = 5 * 60_000
const cache = new Map<string, { readonly at: number; readonly values: Record<string, string> }>()

export interface LoadPullEnvOptions {
  /** Names the source in messages. */
  readonly source: string
  /** The client for the secret (default: one for the Lambda's own region and role). */
  readonly secrets?: SecretsManagerClient
  readonly now?: () => number
}

/**
 * A source's settings and tokens, checked by its zod schema: the environment, overlaid by the
 * JSON secret named by REVOPS_SECRET_ARN when it is set (on AWS; locally tokens come from env).
 * Messages name the missing or invalid keys, never their values.
 */
export async function loadPullEnv<S extends z.ZodType>(
  schema: S,
  env: Env,
  options: LoadPullEnvOptions,
): Promise<z.output<S>> {
  const arn = env[SECRET_ARN_ENV]
  const merged: Record<string, string | undefined> = { ...env }
  if (arn !== undefined && arn !== '') Object.assign(merged, await readSecret(arn, options))
  const parsed = schema.safeParse(merged)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.map(String).join('.') || '(settings)'
      const unset = merged[key] === undefined || merged[key] === ''
      // A rule across keys (one of two tokens) says itself what is missing.
      return unset && issue.code !== 'custom' ? `${key} is not set` : `${key}: ${issue.message}`
    })
    throw new UserError(`${options.source} pull settings: ${problems.join('; ')}`, {
      hint:
        arn === undefined
          ? `set them in the environment (or name a Secrets Manager secret with ${SECRET_ARN_ENV})`
          : `set them in the environment or in the secret ${arn}`,
    })
  }
  return parsed.data
}

async function readSecret(arn: string, options: LoadPullEnvOptions): Promise<Record<string, string>> {
  const now = options.now?.() ?? Date.now()
  const cached = cache.get(arn)
  if (cached !== undefined && now - cached.at < CACHE_MS) return cached.values
  let text: string | undefined
  try {
    const client = options.secrets ?? new SecretsManagerClient({})
    text = (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString
  } catch (error) {
    throw new UserError(`could not read the secret ${arn}: ${oneLine(error)}`, { cause: error })
  }
  let json: unknown
  try {
    json = JSON.parse(text ?? '')
  } catch {
    json = undefined
  }
  const parsed = SecretValues.safeParse(json)
  if (!parsed.success) {
    throw new UserError(
      `the secret ${arn} must be a JSON object of settings, e.g. {"STRIPE_API_KEY": "…"} (string values)`,
    )
  }
  const values = Object.fromEntries(Object.entries(parsed.data).map(([k, v]) => [k, String(v)]))
  cache.set(arn, { at: now, values })
  return values
}

/** Empty text counts as not set (a blank env variable), so optional keys can be left blank. */
export const optionalText = () =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().optional())

/** An http(s) base URL without a trailing slash (vendor API overrides for proxies and tests). */
export const optionalBaseUrl = () =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z
      .url({ protocol: /^https?$/ })
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
  )
