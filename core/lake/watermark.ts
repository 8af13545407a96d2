import { z } from 'zod'
import { UserError } from '../errors.js'
import { type LakeStore, StateConflictError } from './lake-store.js'
import { stateKey } from './layout.js'

/** How far a pull has fully landed one entity: everything with a cursor up to `cursor` is in raw/. */
export const Watermark = z.object({
  cursor: z.iso.datetime(),
  run_id: z.string().min(1),
  advanced_at: z.iso.datetime(),
})
export type Watermark = z.infer<typeof Watermark>

export async function readWatermark(
  store: LakeStore,
  source: string,
  entity: string,
): Promise<Watermark | undefined> {
  return (await readVersioned(store, stateKey(source, entity)))?.watermark
}

/**
 * Moves the watermark forward to `cursor`, never back. Call it only after every object of the
 * window is written. Concurrent runs are safe: the write is conditional on the version read, and
 * a lost race re-reads and re-decides. Returns the watermark now in the lake.
 */
export async function advanceWatermark(
  store: LakeStore,
  source: string,
  entity: string,
  next: { cursor: string; runId: string; at: Date },
  attempts = 5,
): Promise<Watermark> {
  const key = stateKey(source, entity)
  const wanted = Watermark.parse({
    cursor: next.cursor,
    run_id: next.runId,
    advanced_at: next.at.toISOString(),
  })
  for (let attempt = 1; ; attempt += 1) {
    const current = await readVersioned(store, key)
    if (current && Date.parse(current.watermark.cursor) >= Date.parse(wanted.cursor)) return current.watermark
    try {
      await store.putIfVersion(key, Buffer.from(`${JSON.stringify(wanted)}\n`), current?.version ?? null)
      return wanted
    } catch (error) {
      if (!(error instanceof StateConflictError) || attempt >= attempts) throw error
    }
  }
}

async function readVersioned(
  store: LakeStore,
  key: string,
): Promise<{ watermark: Watermark; version: string } | undefined> {
  const found = await store.getVersioned(key)
  if (found === undefined) return undefined
  let json: unknown
  try {
    json = JSON.parse(found.body.toString('utf8'))
  } catch {
    throw new UserError(`watermark ${key} is not JSON; fix or delete it`)
  }
  const parsed = Watermark.safeParse(json)
  if (!parsed.success)
    throw new UserError(`watermark ${key} is invalid: ${parsed.error.issues[0]?.message ?? ''}`)
  return { watermark: parsed.data, version: found.version }
}
