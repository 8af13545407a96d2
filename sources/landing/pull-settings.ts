import { z } from 'zod'
import { UserError } from '../../core/errors.js'

/** How pulls size their windows and checkpoints. */
export interface PullSettings {
  /** A new window starts this long before the watermark, re-reading late-committed records. */
  readonly overlapMs: number
  /** A window ends this long before now: records modified that recently may still change. */
  readonly lagMs: number
  /** Records landed per checkpoint at most (one checkpoint: chunks written, then the resume cursor). */
  readonly batchRecords: number
  /** A Lambda stops starting new pages when fewer than this many milliseconds are left. */
  readonly stopMarginMs: number
}

const minutes = z.coerce.number().min(0).max(10_080)

const PullEnv = z.object({
  PULL_OVERLAP_MINUTES: minutes.optional(),
  PULL_LAG_MINUTES: minutes.optional(),
  PULL_BATCH_RECORDS: z.coerce.number().int().min(1).max(1_000_000).optional(),
  PULL_STOP_MARGIN_SECONDS: z.coerce.number().int().min(0).max(900).optional(),
})

export const DEFAULT_PULL_SETTINGS: PullSettings = {
  overlapMs: 15 * 60_000,
  lagMs: 2 * 60_000,
  batchRecords: 5_000,
  stopMarginMs: 90_000,
}

/** Pull settings from the environment (`PULL_*`), over the source's defaults. */
export function pullSettingsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  defaults: Partial<PullSettings> = {},
): PullSettings {
  const parsed = PullEnv.safeParse(env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new UserError(`${String(issue?.path[0] ?? 'PULL_*')}: ${issue?.message ?? 'invalid'}`)
  }
  const base = { ...DEFAULT_PULL_SETTINGS, ...defaults }
  const e = parsed.data
  return {
    overlapMs: e.PULL_OVERLAP_MINUTES === undefined ? base.overlapMs : e.PULL_OVERLAP_MINUTES * 60_000,
    lagMs: e.PULL_LAG_MINUTES === undefined ? base.lagMs : e.PULL_LAG_MINUTES * 60_000,
    batchRecords: e.PULL_BATCH_RECORDS ?? base.batchRecords,
    stopMarginMs:
      e.PULL_STOP_MARGIN_SECONDS === undefined ? base.stopMarginMs : e.PULL_STOP_MARGIN_SECONDS * 1000,
  }
}
