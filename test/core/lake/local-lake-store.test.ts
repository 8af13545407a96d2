import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LocalLakeStore } from '../../../core/lake/local-lake-store.js'
import { describeLakeStoreContract } from './lake-store-contract.js'

describeLakeStoreContract('local folder', async () => {
  const root = mkdtempSync(join(tmpdir(), 'revops-lake-'))
  return {
    store: new LocalLakeStore(root),
    enforcesConcurrentConditions: true,
    listsMixedLevelsInByteOrder: true,
    async stop() {
      rmSync(root, { recursive: true, force: true })
    },
  }
})

describe('LocalLakeStore', () => {
  it('leaves no temp or lock files behind and hides its own files from listings', async () => {
    const root = mkdtempSync(join(tmpdir(), 'revops-lake-'))
    try {
      const store = new LocalLakeStore(root)
      await store.putIfAbsent('raw/x/a.txt', Buffer.from('a'))
      await store.putIfAbsent('raw/x/a.txt', Buffer.from('b'))
      await store.putIfVersion('state/s/e.json', Buffer.from('1'), null)
      expect(readdirSync(join(root, 'raw/x'))).toEqual(['a.txt'])
      expect(readdirSync(join(root, 'state/s')).sort()).toEqual(['.version-e.json', 'e.json'])
      // A temp file left by a crashed writer is not a key.
      writeFileSync(join(root, 'raw/x/.tmp-123-b.txt'), 'partial')
      const keys = []
      for await (const o of store.list('raw/')) keys.push(o.key)
      expect(keys).toEqual(['raw/x/a.txt'])
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
