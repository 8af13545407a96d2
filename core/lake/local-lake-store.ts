import { randomUUID } from 'node:crypto'
import { constants, createWriteStream } from 'node:fs'
import { copyFile, link, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  type CreateResult,
  checkKey,
  checkPrefix,
  type LakeObject,
  type LakeStore,
  LakeStoreError,
  StateConflictError,
  type VersionedObject,
} from './lake-store.js'

/** A lock older than this is left over from a crashed writer (state writes take milliseconds). */
const STALE_LOCK_MS = 30_000

/**
 * The lake as a local folder. Create-only writes go to a hidden temp file that is then hard-linked
 * to the key: `link` fails if the key exists, so the check and the write are one atomic step, and a
 * reader never sees a half-written object. State documents carry a version counter in a hidden
 * sidecar, checked and bumped under an exclusive lock file. Hidden names (starting with ".") cannot
 * be keys (checkKey), so listings never show them.
 */
export class LocalLakeStore implements LakeStore {
  readonly location: string

  constructor(root: string) {
    this.location = resolve(root)
  }

  async putIfAbsent(key: string, body: Uint8Array | Readable): Promise<CreateResult> {
    const path = this.path(key)
    try {
      if (await isFile(path)) {
        if (body instanceof Readable) body.destroy()
        return 'exists'
      }
      await mkdir(dirname(path), { recursive: true })
      const temp = join(dirname(path), `.tmp-${randomUUID()}-${basename(path)}`)
      try {
        await writeDurably(temp, body)
        return await linkExclusive(temp, path)
      } finally {
        await rm(temp, { force: true })
      }
    } catch (error) {
      throw wrap(error, key, 'write')
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    const path = this.path(key)
    try {
      return await readFile(path)
    } catch (error) {
      if (isMissing(error)) return undefined
      throw wrap(error, key, 'read')
    }
  }

  async getStream(key: string): Promise<Readable | undefined> {
    const path = this.path(key)
    try {
      const handle = await open(path, 'r')
      return handle.createReadStream()
    } catch (error) {
      if (isMissing(error)) return undefined
      throw wrap(error, key, 'read')
    }
  }

  async exists(key: string): Promise<boolean> {
    const path = this.path(key)
    return isFile(path).catch((error: unknown) => Promise.reject(wrap(error, key, 'read')))
  }

  async *list(prefix: string): AsyncIterable<LakeObject> {
    checkPrefix(prefix)
    yield* this.walk(prefix.slice(0, prefix.lastIndexOf('/') + 1), prefix)
  }

  async getVersioned(key: string): Promise<VersionedObject | undefined> {
    const path = this.path(key)
    try {
      if (!(await isFile(path))) return undefined
      return await withLock(path, async () => {
        const body = await readFile(path).catch((e: unknown) =>
          isMissing(e) ? undefined : Promise.reject(e),
        )
        if (body === undefined) return undefined
        return { body, version: String(await readCounter(path)) }
      })
    } catch (error) {
      throw wrap(error, key, 'read')
    }
  }

  async putIfVersion(key: string, body: Uint8Array, expected: string | null): Promise<string> {
    const path = this.path(key)
    await mkdir(dirname(path), { recursive: true }).catch((e: unknown) =>
      Promise.reject(wrap(e, key, 'write')),
    )
    return withLock(path, async () => {
      const counter = await readCounter(path)
      const current = (await isFile(path)) ? String(counter) : null
      if (current !== expected) throw new StateConflictError(key)
      const next = String(counter + 1)
      // Bump the counter before the body: a crash in between makes a stale writer fail its
      // check (safe) instead of letting it overwrite a newer body (a lost update).
      await replaceFile(versionPath(path), Buffer.from(next))
      await replaceFile(path, body)
      return next
    }).catch((error: unknown) =>
      Promise.reject(error instanceof StateConflictError ? error : wrap(error, key, 'write')),
    )
  }

  private path(key: string): string {
    return join(this.location, checkKey(key))
  }

  private async *walk(dirKey: string, prefix: string): AsyncGenerator<LakeObject> {
    let entries: import('node:fs').Dirent[]
    try {
      entries = await readdir(join(this.location, dirKey), { withFileTypes: true })
    } catch (error) {
      if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return
      throw wrap(error, dirKey, 'list')
    }
    // Sorting a folder as "name/" makes the walk yield whole keys in byte order, as S3 lists them.
    const items = entries
      .filter((e) => !e.name.startsWith('.') && (e.isFile() || e.isDirectory()))
      .map((e) => ({ dir: e.isDirectory(), key: `${dirKey}${e.name}${e.isDirectory() ? '/' : ''}` }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    for (const item of items) {
      if (item.dir) {
        if (item.key.startsWith(prefix) || prefix.startsWith(item.key)) yield* this.walk(item.key, prefix)
      } else if (item.key.startsWith(prefix)) {
        const info = await stat(join(this.location, item.key)).catch(() => undefined)
        if (info) yield { key: item.key, size: info.size }
      }
    }
  }
}

async function writeDurably(path: string, body: Uint8Array | Readable): Promise<void> {
  if (body instanceof Readable) {
    await pipeline(body, createWriteStream(path, { flags: 'wx' }))
    const handle = await open(path, 'r+')
    await handle.sync().finally(() => handle.close())
    return
  }
  const handle = await open(path, 'wx')
  try {
    await handle.writeFile(body)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Publishes `temp` as `path` unless `path` exists; atomic where hard links exist. */
async function linkExclusive(temp: string, path: string): Promise<CreateResult> {
  try {
    await link(temp, path)
    return 'created'
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return 'exists'
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error
  }
  // Filesystems without hard links: still exclusive, though a reader could see a partial copy.
  try {
    await copyFile(temp, path, constants.COPYFILE_EXCL)
    return 'created'
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists'
    throw error
  }
}

async function replaceFile(path: string, body: Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.tmp-${randomUUID()}-${basename(path)}`)
  try {
    await writeDurably(temp, body)
    await rename(temp, path)
  } finally {
    await rm(temp, { force: true })
  }
}

function versionPath(path: string): string {
  return join(dirname(path), `.version-${basename(path)}`)
}

async function readCounter(path: string): Promise<number> {
  try {
    const value = Number((await readFile(versionPath(path), 'utf8')).trim())
    return Number.isSafeInteger(value) && value >= 0 ? value : 0
  } catch (error) {
    if (isMissing(error)) return 0
    throw error
  }
}

/** Runs `fn` while holding `.lock-<name>` (created exclusively); breaks a lock left by a crashed writer. */
async function withLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(dirname(path), `.lock-${basename(path)}`)
  let seen: { ino: number; mtimeMs: number; since: number } | undefined
  for (;;) {
    try {
      await writeFile(lock, String(process.pid), { flag: 'wx' })
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const info = await stat(lock).catch(() => undefined)
    if (info === undefined) continue
    const now = performance.now()
    if (seen === undefined || seen.ino !== info.ino || seen.mtimeMs !== info.mtimeMs) {
      seen = { ino: info.ino, mtimeMs: info.mtimeMs, since: now }
    } else if (now - seen.since > STALE_LOCK_MS) {
      await rm(lock, { force: true })
      seen = undefined
      continue
    }
    await sleep(5 + Math.random() * 20)
  }
  try {
    return await fn()
  } finally {
    await rm(lock, { force: true })
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch (error) {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return false
    throw error
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
}

function wrap(error: unknown, key: string, operation: string): Error {
  if (error instanceof LakeStoreError) return error
  return new LakeStoreError(key, operation, { cause: error })
}
