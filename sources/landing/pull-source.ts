import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import type { LakeStore } from '../../core/lake/lake-store.js'
import type { SourceName } from '../contract.js'
import type { Env } from './pull-credentials.js'
import type { PullSummary } from './pull-report.js'
import type { RetryPolicy } from './pull-retry.js'
import { PullRun } from './pull-run.js'
import { type PullSettings, pullSettingsFromEnv } from './pull-settings.js'

/** How one source is pulled: its settings' defaults, and the pull given a run and its env. */
export interface SourcePull {
  readonly source: SourceName
  readonly defaults?: Partial<PullSettings>
  pull(
    run: PullRun,
    env: Env,
    options: { fullRefresh: boolean; secrets?: SecretsManagerClient },
  ): Promise<void>
}

export interface RunPullOptions {
  readonly store: LakeStore
  /** Settings and tokens (`PULL_*`, the source's keys, REVOPS_SECRET_ARN). */
  readonly env: Env
  readonly secrets?: SecretsManagerClient
  readonly fullRefresh?: boolean
  /** A Lambda's time left (`context.getRemainingTimeInMillis`). */
  readonly remainingMs?: () => number
  readonly clock?: () => Date
  readonly retry?: Partial<RetryPolicy>
  readonly onProgress?: (message: string) => void
}

/**
 * Pulls a source into the lake, the same way for `revops pull` and the pull Lambdas. Settings
 * and credentials that are wrong throw before anything is read; what happens once pulling has
 * started is in the summary (`status`: complete, continued or failed).
 */
export async function runPull(spec: SourcePull, options: RunPullOptions): Promise<PullSummary> {
  const run = new PullRun({
    source: spec.source,
    store: options.store,
    settings: pullSettingsFromEnv(options.env, spec.defaults),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.remainingMs ? { remainingMs: options.remainingMs } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  })
  await spec.pull(run, options.env, {
    fullRefresh: options.fullRefresh ?? false,
    ...(options.secrets ? { secrets: options.secrets } : {}),
  })
  return run.finish()
}
