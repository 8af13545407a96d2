import { afterAll, describe, expect, it } from 'vitest'
import { Envelope } from '../../../core/lake/envelope.js'
import { QuarantineRecord, QuarantineWriter } from '../../../core/lake/quarantine-writer.js'
import { RawWriter } from '../../../core/lake/raw-writer.js'
import { keys, readLines, tempLake } from './lake-fixture.js'

const lake = tempLake()
afterAll(() => lake.remove())

const records = Array.from({ length: 5 }, (_, i) => ({
  _id: `in_${i}`,
  _updated_at: `2024-01-0${i + 1}T00:00:00.000Z`,
  _deleted: i === 4,
  payload: JSON.stringify({ id: `in_${i}`, note: 'line "quoted"\nnext' }),
}))

async function land(runId: string, at: string, input = records) {
  const writer = new RawWriter(lake.store, {
    source: 'stripe',
    entity: 'invoices',
    runId,
    ingestedAt: new Date(at),
    limits: { records: 2, size: 1 << 20 },
  })
  for (const record of input) await writer.add(record)
  await writer.flush()
  return writer.written
}

describe('RawWriter', () => {
  it('writes valid envelopes in content-named chunks', async () => {
    const written = await land('run-1', '2024-03-01T10:00:00Z')
    expect(written.map((w) => [w.records, w.result])).toEqual([
      [2, 'created'],
      [2, 'created'],
      [1, 'created'],
    ])
    const found = await keys(lake.store, 'raw/')
    expect(found).toHaveLength(3)
    for (const key of found) {
      expect(key).toMatch(
        /^raw\/source=stripe\/entity=invoices\/ingest_date=2024-03-01\/[0-9a-f]{32}\.jsonl\.gz$/,
      )
    }
    const envelopes = (await readLines(lake.store, 'raw/')).map((line) => Envelope.parse(line))
    expect(envelopes.map((e) => e._id).sort()).toEqual(records.map((r) => r._id))
    const last = envelopes.find((e) => e._id === 'in_4')
    expect(last).toMatchObject({ _source: 'stripe', _entity: 'invoices', _run_id: 'run-1', _deleted: true })
    expect(JSON.parse(last?.payload ?? '')).toEqual({ id: 'in_4', note: 'line "quoted"\nnext' })
    expect(Object.keys(last ?? {})).toEqual([
      '_id',
      '_source',
      '_entity',
      '_ingested_at',
      '_run_id',
      '_deleted',
      '_updated_at',
      'payload',
    ])
  })

  it('writes nothing when the same records land again, from another run on another day', async () => {
    const written = await land('run-2', '2024-03-09T10:00:00Z')
    expect(written.every((w) => w.result === 'exists')).toBe(true)
    expect(written.every((w) => w.key.includes('ingest_date=2024-03-01'))).toBe(true)
    expect(await keys(lake.store, 'raw/')).toHaveLength(3)
  })

  it('writes a new object when a record changes', async () => {
    const changed = records.map((r, i) => (i === 4 ? { ...r, payload: '{"id":"in_4","v":2}' } : r))
    const written = await land('run-3', '2024-03-09T10:00:00Z', changed)
    expect(written.map((w) => w.result)).toEqual(['exists', 'exists', 'created'])
  })
})

describe('QuarantineWriter', () => {
  it('writes each rejected record once, with its reason and input', async () => {
    const entry = {
      _entity: 'invoices',
      _file: 'invoices.jsonl',
      _line: 3,
      _reason_class: 'malformed_record' as const,
      _reason: 'not JSON',
      _field: null,
      _run_id: 'run-1',
      raw: '{"id": ',
    }
    for (const at of ['2024-03-01T10:00:00Z', '2024-03-05T10:00:00Z']) {
      const writer = new QuarantineWriter(lake.store, { source: 'stripe', ingestedAt: new Date(at) })
      await writer.add(entry)
      await writer.flush()
    }
    const lines = (await readLines(lake.store, 'quarantine/')).map((l) => QuarantineRecord.parse(l))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ _source: 'stripe', _file: 'invoices.jsonl', _line: 3, raw: '{"id": ' })
  })
})
