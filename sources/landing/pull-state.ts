import { z } from 'zod'
import { UserError } from '../../core/errors.js'
import { type LakeStore, StateConflictError } from '../../core/lake/lake-store.js'
import { pullStateKey } from '../../core/lake/layout.js'

/** The span of vendor time one pull window covers: `(from, to]`, `from` null for "from the beginning". */
export const PullWindow = z.object({
  from: z.iso.datetime().nullable(),
  to: z.iso.datetime(),
  opened_at: z.iso.datetime(),
  run_id: z.string().min(1),
})
export type PullWindow = z.infer<typeof PullWindow>

/**
 * Where one pull feed stands. A window stays open until every page of it is in the lake; runs
 * that stop early (deadline, vendor outage, crash) leave it open with the vendor's keyset cursor
 * in `resume`, and the next run continues the same window from there.
 */
export const PullState = z.object({
  window: PullWindow.nullable(),
  /** Where the open window continues: the vendor's keyset cursor after the last landed page. */
  resume: z.json().nullable(),
  /** Pages landed in the open window so far. */
  pages: z.int().nonnegative(),
  /**
   * Identities of records near the end of the last finished window. The next window starts an
   * overlap earlier and reads them again; they count as duplicates instead of landing twice.
   */
  tail: z.object({ to: z.iso.datetime(), identities: z.array(z.string()) }).nullable(),
  /** Identities landed so far in the open window that fall into its own overlap (its tail-to-be). */
  open_tail: z.array(z.string()),
})
export type PullState = z.infer<typeof PullState>

export const EMPTY_PULL_STATE: PullState = { window: null, resume: null, pages: 0, tail: null, open_tail: [] }

export interface VersionedPullState {
  readonly state: PullState
  /** null when the state was never written. */
  readonly version: string | null
}

export async function readPullState(
  store: LakeStore,
  source: string,
  feed: string,
): Promise<VersionedPullState> {
  const key = pullStateKey(source, feed)
  const found = await store.getVersioned(key)
  if (found === undefined) return { state: EMPTY_PULL_STATE, version: null }
  let json: unknown
  try {
    json = JSON.parse(found.body.toString('utf8'))
  } catch {
    throw new UserError(`pull state ${key} is not JSON; delete it to start the feed's window over`)
  }
  const parsed = PullState.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new UserError(
      `pull state ${key} is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}; delete it to start the feed's window over`,
    )
  }
  return { state: parsed.data, version: found.version }
}

/**
 * Writes the state only if nobody wrote it since `version` was read: two pulls of one feed at
 * once would otherwise interleave their windows. Returns the new version.
 */
export async function writePullState(
  store: LakeStore,
  source: string,
  feed: string,
  state: PullState,
  version: string | null,
): Promise<string> {
  const key = pullStateKey(source, feed)
  try {
    return await store.putIfVersion(key, Buffer.from(`${JSON.stringify(PullState.parse(state))}\n`), version)
  } catch (error) {
    if (error instanceof StateConflictError) {
      throw new UserError(`another pull of ${source}/${feed} ran at the same time (${key} changed)`, {
        hint: 'run one pull per source at a time; re-run this one when the other has finished',
        cause: error,
      })
    }
    throw error
  }
}
