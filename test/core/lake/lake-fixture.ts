import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { LakeStore } from '../../../core/lake/lake-store.js'
import { LocalLakeStore } from '../../../core/lake/local-lake-store.js'

/** A local lake in a temp folder; `remove()` deletes it. */
export function tempLake(): { store: LocalLakeStore; root: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'revops-lake-'))
  return {
    store: new LocalLakeStore(root),
    root,
    remove: () => rmSync(root, { recursive: true, force: true }),
  }
}

export async function keys(store: LakeStore, prefix: string): Promise<string[]> {
  const found: string[] = []
  for await (const object of store.list(prefix)) found.push(object.key)
  return found
}

/** Every JSON line of every gzip object under `prefix`. */
export async function readLines(store: LakeStore, prefix: string): Promise<unknown[]> {
  const lines: unknown[] = []
  for (const key of await keys(store, prefix)) {
    const body = await store.get(key)
    if (body === undefined) continue
    for (const line of gunzipSync(body).toString('utf8').split('\n')) {
      if (line !== '') lines.push(JSON.parse(line))
    }
  }
  return lines
}
