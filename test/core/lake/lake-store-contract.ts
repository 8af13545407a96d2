import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LakeStore, StateConflictError } from '../../../core/lake/lake-store.js'

export interface StoreUnderTest {
  readonly store: LakeStore
  /** False for servers that ignore conditional headers, where two racing writers can both succeed. */
  readonly enforcesConcurrentConditions: boolean
  /** False for s3rver: it lists a level's folders before its objects, and its pages then skip keys. */
  readonly listsMixedLevelsInByteOrder: boolean
  stop(): Promise<void>
}

async function collect(store: LakeStore, prefix: string, pageSize?: number): Promise<string[]> {
  const keys: string[] = []
  for await (const object of store.list(prefix, pageSize ? { pageSize } : undefined)) keys.push(object.key)
  return keys
}

/** The behaviour every LakeStore must have; run against the local folder and against S3. */
export function describeLakeStoreContract(name: string, start: () => Promise<StoreUnderTest>): void {
  describe(`LakeStore contract: ${name}`, () => {
    let peer: StoreUnderTest
    let store: LakeStore
    beforeAll(async () => {
      peer = await start()
      store = peer.store
    })
    afterAll(async () => {
      await peer.stop()
    })

    it('writes a key once and never overwrites it', async () => {
      expect(await store.putIfAbsent('raw/a/one.txt', Buffer.from('first'))).toBe('created')
      expect(await store.putIfAbsent('raw/a/one.txt', Buffer.from('second'))).toBe('exists')
      expect((await store.get('raw/a/one.txt'))?.toString()).toBe('first')
      expect(await store.exists('raw/a/one.txt')).toBe(true)
    })

    it('answers undefined / false for a missing key', async () => {
      expect(await store.get('raw/missing.txt')).toBeUndefined()
      expect(await store.getStream('raw/missing.txt')).toBeUndefined()
      expect(await store.exists('raw/missing.txt')).toBe(false)
      expect(await store.getVersioned('state/missing.json')).toBeUndefined()
    })

    it('writes a streamed body and reads it back as a stream', async () => {
      const body = Readable.from([Buffer.from('abc'), Buffer.from('def')])
      expect(await store.putIfAbsent('raw/stream/s.txt', body)).toBe('created')
      const stream = await store.getStream('raw/stream/s.txt')
      const parts: Buffer[] = []
      for await (const part of stream ?? []) parts.push(part as Buffer)
      expect(Buffer.concat(parts).toString()).toBe('abcdef')
      // A stream whose key exists is not consumed into the object.
      expect(await store.putIfAbsent('raw/stream/s.txt', Readable.from([Buffer.from('zzz')]))).toBe('exists')
      expect((await store.get('raw/stream/s.txt'))?.toString()).toBe('abcdef')
    })

    it('lists keys by prefix in byte order, page by page', async () => {
      // The lake's layout never mixes objects and folders on one level; listing follows it.
      const keys = [
        'list/b/1.txt',
        'list/a/2.txt',
        'list/a/1.txt',
        'list/ab/1.txt',
        'list/a/3.txt',
        'list/c/x/1.txt',
      ]
      for (const key of keys) await store.putIfAbsent(key, Buffer.from(key))
      const sorted = [...keys].sort()
      expect(await collect(store, 'list/', 2)).toEqual(sorted)
      expect(await collect(store, 'list/a/')).toEqual(['list/a/1.txt', 'list/a/2.txt', 'list/a/3.txt'])
      // A prefix that ends inside a name, as in S3.
      expect(await collect(store, 'list/a', 3)).toEqual(sorted.filter((k) => k.startsWith('list/a')))
      expect(await collect(store, 'nothing/here/')).toEqual([])
      const sizes = []
      for await (const o of store.list('list/b/')) sizes.push(o.size)
      expect(sizes).toEqual(['list/b/1.txt'.length])
    })

    it('lists objects and folders that share a level in byte order', async () => {
      if (!peer.listsMixedLevelsInByteOrder) return
      const keys = ['mixed/x/b.txt', 'mixed/x-1.txt', 'mixed/x0.txt', 'mixed/x/sub/c.txt', 'mixed/x.txt']
      for (const key of keys) await store.putIfAbsent(key, Buffer.from(key))
      expect(await collect(store, 'mixed/', 2)).toEqual([...keys].sort())
    })

    it('writes state only from the version it read', async () => {
      const key = 'state/stripe/invoices.json'
      const v1 = await store.putIfVersion(key, Buffer.from('{"n":1}'), null)
      await expect(store.putIfVersion(key, Buffer.from('{"n":9}'), null)).rejects.toBeInstanceOf(
        StateConflictError,
      )
      const read = await store.getVersioned(key)
      expect(read?.body.toString()).toBe('{"n":1}')
      expect(read?.version).toBe(v1)
      const v2 = await store.putIfVersion(key, Buffer.from('{"n":2}'), v1)
      expect(v2).not.toBe(v1)
      await expect(store.putIfVersion(key, Buffer.from('{"n":3}'), v1)).rejects.toBeInstanceOf(
        StateConflictError,
      )
      expect((await store.getVersioned(key))?.body.toString()).toBe('{"n":2}')
      expect((await store.getVersioned(key))?.version).toBe(v2)
      // State documents are listed like any key, and nothing else of the store's shows up.
      expect(await collect(store, 'state/stripe/')).toEqual([key])
    })

    it('lets exactly one of several racing writers create a key', async () => {
      if (!peer.enforcesConcurrentConditions) return
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.putIfAbsent('race/key.txt', Buffer.from(`writer ${i}`))),
      )
      expect(results.filter((r) => r === 'created')).toHaveLength(1)
      const versions = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => store.putIfVersion('race/state.json', Buffer.from(`${i}`), null)),
      )
      expect(versions.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    })

    it('rejects keys that could leave the lake or hit the store’s own files', async () => {
      for (const bad of ['../x', '/abs', 'a//b', 'a/./b', '.hidden', 'a/.lock-x', 'a/b/', '']) {
        await expect(store.putIfAbsent(bad, Buffer.from('x'))).rejects.toThrow(/invalid lake key/)
      }
    })
  })
}
