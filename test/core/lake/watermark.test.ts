import { afterAll, describe, expect, it } from 'vitest'
import { advanceWatermark, readWatermark } from '../../../core/lake/watermark.js'
import { tempLake } from './lake-fixture.js'

const lake = tempLake()
afterAll(() => lake.remove())
const at = new Date('2024-03-01T00:00:00Z')

describe('watermark', () => {
  it('starts empty, moves forward and never back', async () => {
    expect(await readWatermark(lake.store, 'stripe', 'charges')).toBeUndefined()
    await advanceWatermark(lake.store, 'stripe', 'charges', {
      cursor: '2024-02-01T00:00:00.000Z',
      runId: 'r1',
      at,
    })
    await advanceWatermark(lake.store, 'stripe', 'charges', {
      cursor: '2024-01-01T00:00:00.000Z',
      runId: 'r2',
      at,
    })
    expect(await readWatermark(lake.store, 'stripe', 'charges')).toMatchObject({
      cursor: '2024-02-01T00:00:00.000Z',
      run_id: 'r1',
    })
  })

  it('keeps the furthest cursor when runs advance it at the same time', async () => {
    const cursors = Array.from({ length: 6 }, (_, i) => `2024-05-0${i + 1}T00:00:00.000Z`)
    await Promise.all(
      cursors.map((cursor, i) =>
        advanceWatermark(lake.store, 'hubspot', 'deals', { cursor, runId: `r${i}`, at }, 50),
      ),
    )
    expect((await readWatermark(lake.store, 'hubspot', 'deals'))?.cursor).toBe('2024-05-06T00:00:00.000Z')
  })
})
