import { afterAll, describe, expect, it } from 'vitest'
import { Envelope } from '../../../core/lake/envelope.js'
import { landRecords } from '../../../sources/landing/land-records.js'
import { findEntity } from '../../../sources/registry.js'
import { readLines, tempLake } from '../../core/lake/lake-fixture.js'

const lake = tempLake()
afterAll(() => lake.remove())

async function* pulled() {
  yield {
    id: '7001',
    properties: { dealstage: 'closedwon' },
    createdAt: '2024-01-01T00:00:00Z',
    updatedAt: '2024-01-02T00:00:00Z',
    archived: false,
  }
  yield { id: '7002', properties: {}, createdAt: '2024-01-01T00:00:00Z' }
  yield {
    id: '7003',
    properties: { amount: '5' },
    createdAt: '2024-01-01T00:00:00Z',
    updatedAt: '2024-01-03T00:00:00Z',
  }
}

describe('landRecords (records handed over by an API pull)', () => {
  const contract = findEntity('hubspot', 'deals')
  if (contract === undefined) throw new Error('no hubspot deals contract')

  it('checks, envelopes, chunks and quarantines like a file drop', async () => {
    const now = new Date('2025-01-01T00:00:00Z')
    const summary = await landRecords(lake.store, {
      contract,
      records: pulled(),
      runId: 'pull-42',
      label: 'api:deals',
      now,
    })
    expect(summary.totals).toEqual({ landed: 2, duplicate: 0, quarantined: 1 })
    expect(summary.quarantine[0]?.examples[0]).toMatchObject({
      file: 'api:deals',
      line: 2,
      field: 'updatedAt',
    })
    const envelopes = (await readLines(lake.store, 'raw/')).map((l) => Envelope.parse(l))
    expect(envelopes.map((e) => [e._id, e._run_id, e._updated_at])).toEqual([
      ['7001', 'pull-42', '2024-01-02T00:00:00.000Z'],
      ['7003', 'pull-42', '2024-01-03T00:00:00.000Z'],
    ])
    const again = await landRecords(lake.store, {
      contract,
      records: pulled(),
      runId: 'pull-43',
      label: 'api:deals',
    })
    expect(again.totals).toEqual({ landed: 0, duplicate: 2, quarantined: 1 })
  })
})
