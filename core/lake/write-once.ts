import { z } from 'zod'
import { UserError } from '../errors.js'
import type { CreateResult, LakeStore } from './lake-store.js'
import { landedMarkerKey, sameObjectElsewhere } from './layout.js'

/** The content of a `state/landed/…` marker: where an object first landed. */
export const LandedMarker = z.object({
  key: z.string().min(1),
  records: z.number().int().nonnegative(),
  first_landed_at: z.iso.datetime(),
})
export type LandedMarker = z.infer<typeof LandedMarker>

export interface WriteOnceResult {
  readonly result: CreateResult
  /** Where the object is: `key`, or the key of the day it first landed. */
  readonly key: string
}

/**
 * Writes a content-named, dated object (raw/ or quarantine/) exactly once across days.
 *
 * The marker is written first and pins the dated key; the object second. A re-run on any day
 * reads the marker and writes to the pinned key, so a crash between the two steps is finished by
 * the next run, and content that already landed is found instead of being written under a new
 * date. Both writes are create-only, so racing runs agree on one key and one object.
 */
export async function writeOnce(
  store: LakeStore,
  key: string,
  body: Uint8Array,
  meta: { records: number; landedAt: Date },
): Promise<WriteOnceResult> {
  const markerKey = landedMarkerKey(key)
  const marker: LandedMarker = { key, records: meta.records, first_landed_at: meta.landedAt.toISOString() }
  let target = key
  if ((await store.putIfAbsent(markerKey, Buffer.from(`${JSON.stringify(marker)}\n`))) === 'exists') {
    target = await pinnedKey(store, markerKey, key)
  }
  return { result: await store.putIfAbsent(target, body), key: target }
}

async function pinnedKey(store: LakeStore, markerKey: string, key: string): Promise<string> {
  const text = (await store.get(markerKey))?.toString('utf8')
  let parsed: ReturnType<typeof LandedMarker.safeParse> | undefined
  try {
    parsed = text === undefined ? undefined : LandedMarker.safeParse(JSON.parse(text))
  } catch {
    parsed = undefined
  }
  if (!parsed?.success || !sameObjectElsewhere(parsed.data.key, key)) {
    throw new UserError(
      `lake marker ${markerKey} is unreadable or points elsewhere; inspect it before re-running`,
    )
  }
  return parsed.data.key
}
