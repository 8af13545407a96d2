import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { landedMarkerKey, rawKey } from '../../../core/lake/layout.js'
import { writeOnce } from '../../../core/lake/write-once.js'
import { keys, tempLake } from './lake-fixture.js'

let lake: ReturnType<typeof tempLake>
beforeEach(() => {
  lake = tempLake()
})
afterEach(() => lake.remove())

describe('writeOnce', () => {
  const day1 = new Date('2024-03-01T10:00:00Z')
  const key1 = rawKey('stripe', 'invoices', '2024-03-01', 'abc.jsonl.gz')
  const key2 = rawKey('stripe', 'invoices', '2024-03-02', 'abc.jsonl.gz')

  it('writes once, and finds the object on a later day instead of writing a copy', async () => {
    const first = await writeOnce(lake.store, key1, Buffer.from('one'), { records: 1, landedAt: day1 })
    expect(first).toEqual({ result: 'created', key: key1 })
    const again = await writeOnce(lake.store, key2, Buffer.from('one'), { records: 1, landedAt: day1 })
    expect(again).toEqual({ result: 'exists', key: key1 })
    expect(await keys(lake.store, 'raw/')).toEqual([key1])
    expect(landedMarkerKey(key1)).toBe('state/landed/raw/source=stripe/entity=invoices/abc.jsonl.gz.json')
  })

  it('finishes a write that crashed after its marker, under the pinned day', async () => {
    await lake.store.putIfAbsent(
      landedMarkerKey(key1),
      Buffer.from(JSON.stringify({ key: key1, records: 1, first_landed_at: day1.toISOString() })),
    )
    const rerun = await writeOnce(lake.store, key2, Buffer.from('one'), { records: 1, landedAt: day1 })
    expect(rerun).toEqual({ result: 'created', key: key1 })
    expect(await keys(lake.store, 'raw/')).toEqual([key1])
  })

  it('refuses a marker it cannot read', async () => {
    await lake.store.putIfAbsent(landedMarkerKey(key1), Buffer.from('not json'))
    await expect(
      writeOnce(lake.store, key2, Buffer.from('x'), { records: 1, landedAt: day1 }),
    ).rejects.toThrow(/unreadable or points elsewhere/)
  })
})
