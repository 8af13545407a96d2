import { existsSync, readFileSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { UserError } from '../../core/errors.js'
import { MRR_POLICY_V1, type RevenuePolicy, resolvePolicy } from './revenue-policy.js'

/** The project configuration file the active revenue policy is read from. */
export const CONFIG_FILE = 'revops.config.json'
/** Names a preset (`stripe-billing v1`) or a JSON file holding a policy; wins over the config file. */
export const POLICY_ENV = 'REVOPS_POLICY'

/**
 * The active revenue policy, chosen without editing code: `$REVOPS_POLICY` (a preset label or a
 * policy file), else `revenuePolicy` in `revops.config.json` of the working folder (a preset
 * label or a policy object), else `mrr-policy v1`.
 */
export function loadRevenuePolicy(
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {},
): RevenuePolicy {
  const cwd = options.cwd ?? process.cwd()
  const fromEnv = (options.env ?? process.env)[POLICY_ENV]?.trim()
  if (fromEnv) {
    if (!/\.json$/i.test(fromEnv)) return resolvePolicy(fromEnv, POLICY_ENV)
    const path = isAbsolute(fromEnv) ? fromEnv : resolve(cwd, fromEnv)
    return resolvePolicy(readJson(path), path)
  }
  const config = join(cwd, CONFIG_FILE)
  if (!existsSync(config)) return MRR_POLICY_V1
  const parsed = readJson(config)
  if (typeof parsed !== 'object' || parsed === null || !('revenuePolicy' in parsed)) return MRR_POLICY_V1
  return resolvePolicy((parsed as { revenuePolicy: unknown }).revenuePolicy, `${config}: revenuePolicy`)
}

function readJson(path: string): unknown {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new UserError(`${path}: cannot read the revenue policy (${(error as NodeJS.ErrnoException).code})`)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new UserError(`${path}: not valid JSON: ${(error as Error).message}`)
  }
}
