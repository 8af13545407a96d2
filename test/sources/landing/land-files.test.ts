import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Envelope } from '../../../core/lake/envelope.js'
import type { LakeStore } from '../../../core/lake/lake-store.js'
import { QuarantineRecord } from '../../../core/lake/quarantine-writer.js'
import { S3LakeStore } from '../../../core/lake/s3-lake-store.js'
import { SOURCE_NAMES, type SourceName } from '../../../sources/contract.js'
import { landFiles } from '../../../sources/landing/land-files.js'
import { LandRun } from '../../../sources/landing/land-run.js'
import { ENTITIES } from '../../../sources/registry.js'
import { keys, readLines, tempLake } from '../../core/lake/lake-fixture.js'
import { type S3Peer, startS3rver } from '../../core/lake/s3rver-peer.js'
import { FailingStore } from './failing-store.js'

const EXPORTS = join(import.meta.dirname, '../../fixtures/exports')
const day1 = new Date('2025-06-01T08:00:00Z')
const day2 = new Date('2025-06-09T08:00:00Z')

/** Records per entity in test/fixtures/exports/<source>/ (counted by hand from the files). */
const EXPECTED: Record<SourceName, Record<string, number>> = {
  stripe: {
    charges: 2,
    coupons: 2,
    credit_notes: 1,
    customers: 3,
    events: 2,
    invoice_line_items: 3,
    invoices: 2,
    prices: 3,
    products: 2,
    refunds: 1,
    subscription_items: 2,
    subscriptions: 2,
  },
  salesforce: {
    account: 2,
    campaign: 1,
    campaign_member: 2,
    contact: 1,
    lead: 2,
    opportunity: 3,
    opportunity_field_history: 2,
    opportunity_history: 2,
    user: 2,
  },
  hubspot: { companies: 2, contacts: 2, deal_pipelines: 1, deals: 2 },
  ads: { ad_spend: 2, google_ads: 3, linkedin_ads: 1, meta_ads: 2 },
  finance: { account_map: 2, fx_rates: 2, gross_margin: 2, quotas: 2, sm_expense: 2 },
}

async function envelopes(store: LakeStore, prefix = 'raw/'): Promise<Envelope[]> {
  return (await readLines(store, prefix)).map((line) => Envelope.parse(line))
}

describe('landFiles: every export format of the contract', () => {
  const lake = tempLake()
  afterAll(() => lake.remove())

  it('has a fixture for every entity of every source', () => {
    for (const source of SOURCE_NAMES) {
      expect(Object.keys(EXPECTED[source]).sort()).toEqual(ENTITIES[source].map((e) => e.entity).sort())
    }
  })

  for (const source of SOURCE_NAMES) {
    it(`lands every ${source} file, one valid envelope per record`, async () => {
      const summary = await landFiles(lake.store, { source, from: join(EXPORTS, source), now: day1 })
      expect(summary.totals).toEqual({
        landed: Object.values(EXPECTED[source]).reduce((a, b) => a + b, 0),
        duplicate: 0,
        quarantined: 0,
      })
      expect(Object.fromEntries(summary.entities.map((e) => [e.entity, e.landed]))).toEqual(EXPECTED[source])
      const landed = await envelopes(lake.store, `raw/source=${source}/`)
      expect(landed).toHaveLength(summary.totals.landed)
      for (const envelope of landed) {
        expect(envelope._source).toBe(source)
        expect(envelope._ingested_at).toBe(day1.toISOString())
        expect(envelope._run_id).toMatch(/^file-[0-9a-f]{16}$/)
        expect(JSON.parse(envelope.payload)).toBeTypeOf('object')
      }
      expect(new Set(landed.map((e) => `${e._entity}/${e._id}`)).size).toBe(landed.length)
      expect(await keys(lake.store, 'quarantine/')).toEqual([])
    })
  }

  it('keeps the vendor record whole: JSON payloads as written, CSV rows typed', async () => {
    const landed = await envelopes(lake.store)
    const find = (entity: string, id: string) => landed.find((e) => e._entity === entity && e._id === id)
    const invoice = find('invoices', 'in_New2')
    expect(JSON.parse(invoice?.payload ?? '{}').parent.subscription_details.subscription).toBe('sub_New2')
    expect(find('customers', 'cus_C3')).toMatchObject({ _deleted: true, _updated_at: null })
    expect(find('invoice_line_items', 'in_Old0|sli_Legacy')?._updated_at).toBeNull()
    const opportunity = find('opportunity', '006A1')
    expect(opportunity?._updated_at).toBe('2024-01-31T17:00:00.000Z')
    expect(JSON.parse(opportunity?.payload ?? '{}')).toMatchObject({
      Name: 'Acme - Core, 3 seats',
      Amount: 1800,
      IsWon: true,
      Description: 'Signed after a\ntwo-line note, with "quotes"',
      Custom_Region__c: 'EMEA',
    })
    expect(find('opportunity', '006B2')?._updated_at).toBe('2025-04-10T08:30:00.000Z')
    expect(find('opportunity', '006C3')?._deleted).toBe(true)
    expect(find('deals', '7001')?._updated_at).toBe('2024-01-31T17:05:00.000Z')
    expect(find('companies', '9002')?._deleted).toBe(true)
    expect(find('meta_ads', '2024-01-15|23850000000001')).toBeDefined()
    expect(find('sm_expense', '2024-02-01|USD')).toBeDefined()
  })

  it('lands nothing new when the same folders land again, the same day or another', async () => {
    const before = await keys(lake.store, 'raw/')
    for (const now of [day1, day2]) {
      for (const source of SOURCE_NAMES) {
        const summary = await landFiles(lake.store, { source, from: join(EXPORTS, source), now })
        expect(summary.totals.landed).toBe(0)
        expect(summary.totals.duplicate).toBe(Object.values(EXPECTED[source]).reduce((a, b) => a + b, 0))
      }
    }
    expect(await keys(lake.store, 'raw/')).toEqual(before)
  })

  it('lands one file given as --from', async () => {
    const summary = await landFiles(lake.store, {
      source: 'stripe',
      from: join(EXPORTS, 'stripe/charges.jsonl'),
      now: day2,
    })
    expect(summary.files.map((f) => [f.file, f.entity, f.duplicate])).toEqual([
      ['charges.jsonl', 'charges', 2],
    ])
  })
})

describe('landFiles: bad input', () => {
  const lake = tempLake()
  afterAll(() => lake.remove())

  it('quarantines every bad record and file with file, line and reason, and lands every good record', async () => {
    const summary = await landFiles(lake.store, {
      source: 'stripe',
      from: join(EXPORTS, 'broken/stripe'),
      now: day1,
    })
    expect(Object.fromEntries(summary.entities.map((e) => [e.entity, [e.landed, e.quarantined]]))).toEqual({
      charges: [3, 4],
      invoices: [233, 1],
      prices: [2, 1],
      products: [1, 1],
    })
    expect(summary.read_anything).toBe(true)
    const ids = (await envelopes(lake.store)).map((e) => e._id)
    expect(ids).toEqual(
      expect.arrayContaining(['ch_ok1', 'ch_ok2', 'ch_ok3', 'price_ok1', 'price_ok2', 'prod_ok1']),
    )
    expect(ids.filter((id) => id.startsWith('in_t'))).toHaveLength(233)

    const quarantined = (await readLines(lake.store, 'quarantine/')).map((l) => QuarantineRecord.parse(l))
    const brief = quarantined
      .map((q) => `${q._file}:${q._line ?? '-'} ${q._reason_class} ${q._field ?? '-'}`)
      .sort()
    expect(brief).toEqual([
      'charges.jsonl:2 malformed_record -',
      'charges.jsonl:3 invalid_field amount',
      'charges.jsonl:4 missing_field currency',
      'charges.jsonl:7 invalid_field (record)',
      'invoices.jsonl.gz:234 unreadable_file -',
      'notes.txt:- unknown_file -',
      'prices.json:3 malformed_record -',
      'products.json:3 unreadable_file -',
      'subscriptionz.jsonl:- unknown_file -',
    ])
    const truncated = quarantined.find((q) => q._file === 'invoices.jsonl.gz')
    expect(truncated?._reason).toMatch(/gzip data is truncated/)
    expect(quarantined.find((q) => q._line === 2 && q._file === 'charges.jsonl')?.raw).toBe(
      '{"id":"ch_bad_json","object":"charge","created":1706745700,"amount":',
    )
    expect(quarantined.find((q) => q._file === 'products.json')?.raw).toContain('"prod_cut"')
    // Hidden files are not exports.
    expect(summary.files.map((f) => f.file)).not.toContain('.DS_Store')
    expect(summary.quarantine.find((r) => r.reason_class === 'invalid_field')?.examples[0]).toMatchObject({
      file: 'charges.jsonl',
      line: 3,
      field: 'amount',
    })
  })

  it('keeps a CSV with a BOM and quoted newlines readable, and names the failing field per row', async () => {
    const summary = await landFiles(lake.store, {
      source: 'salesforce',
      from: join(EXPORTS, 'broken/salesforce'),
      now: day1,
    })
    const landed = await envelopes(lake.store, 'raw/source=salesforce/')
    expect(landed.map((e) => e._id).sort()).toEqual(['006OK1', '006OK2', '006OK3'])
    expect(JSON.parse(landed.find((e) => e._id === '006OK2')?.payload ?? '{}').Name).toBe('Multi\nline name')
    expect(landed.find((e) => e._id === '006OK3')?._updated_at).toBe('2024-02-01T09:00:00.000Z')
    const reasons = summary.quarantine.flatMap((r) =>
      r.examples.map((e) => `${e.file}:${e.line} ${r.reason_class} ${e.field ?? '-'}`),
    )
    expect(reasons.sort()).toEqual([
      'Lead.csv:2 missing_field SystemModstamp',
      'Lead.csv:3 missing_field SystemModstamp',
      'Opportunity.csv:5 malformed_record -',
      'Opportunity.csv:6 invalid_field Amount',
      'Opportunity.csv:7 invalid_field IsWon',
      'Opportunity.csv:8 missing_field StageName',
      'Opportunity.csv:9 invalid_field CloseDate',
    ])
  })

  it('writes quarantine once, however often the same bad files land', async () => {
    const before = await keys(lake.store, 'quarantine/')
    await landFiles(lake.store, { source: 'stripe', from: join(EXPORTS, 'broken/stripe'), now: day2 })
    expect(await keys(lake.store, 'quarantine/')).toEqual(before)
  })

  it('says when nothing could be read', async () => {
    const summary = await landFiles(lake.store, {
      source: 'hubspot',
      from: join(EXPORTS, 'stripe'),
      now: day1,
    })
    expect(summary.read_anything).toBe(false)
    expect(summary.quarantine.map((r) => [r.reason_class, r.count])).toEqual([['unknown_file', 12]])
    await expect(landFiles(lake.store, { source: 'stripe', from: join(EXPORTS, 'missing') })).rejects.toThrow(
      /no such file or folder/,
    )
  })
})

describe('landFiles: a crash part-way, then a re-run', () => {
  const limits = { records: 1, size: 1 << 20 }
  const total = Object.values(EXPECTED.stripe).reduce((a, b) => a + b, 0)

  // Each chunk is two writes (marker, then object): odd counts stop between the two.
  for (const writes of [0, 1, 2, 7, 18, 31]) {
    it(`lands the rest exactly once after failing at write ${writes + 1}`, async () => {
      const lake = tempLake()
      try {
        const failing = new FailingStore(lake.store, writes)
        await expect(
          landFiles(failing, { source: 'stripe', from: join(EXPORTS, 'stripe'), now: day1, limits }),
        ).rejects.toThrow(/no space left/)
        const rerun = await landFiles(lake.store, {
          source: 'stripe',
          from: join(EXPORTS, 'stripe'),
          now: day2,
          limits,
        })
        expect(rerun.totals.landed + rerun.totals.duplicate).toBe(total)
        const landed = await envelopes(lake.store)
        expect(landed).toHaveLength(total)
        expect(new Set(landed.map((e) => `${e._entity}/${e._id}`)).size).toBe(total)
        // What the crashed run wrote keeps its day; the rest lands on the re-run's day.
        const days = new Set((await keys(lake.store, 'raw/')).map((k) => /ingest_date=([\d-]+)/.exec(k)?.[1]))
        expect([...days].every((d) => d === '2025-06-01' || d === '2025-06-09')).toBe(true)
        const again = await landFiles(lake.store, { source: 'stripe', from: join(EXPORTS, 'stripe'), limits })
        expect(again.totals).toEqual({ landed: 0, duplicate: total, quarantined: 0 })
      } finally {
        lake.remove()
      }
    })
  }
})

describe('landFiles on S3 (s3rver)', () => {
  let peer: S3Peer
  beforeAll(async () => {
    peer = await startS3rver()
  })
  afterAll(async () => {
    await peer.stop()
  })

  it('lands into a bucket with the same keys, once', async () => {
    const store = new S3LakeStore({ client: peer.client, bucket: peer.bucket, prefix: 'lake' })
    const first = await landFiles(store, { source: 'hubspot', from: join(EXPORTS, 'hubspot'), now: day1 })
    expect(first.totals).toEqual({ landed: 7, duplicate: 0, quarantined: 0 })
    const second = await landFiles(store, { source: 'hubspot', from: join(EXPORTS, 'hubspot'), now: day2 })
    expect(second.totals).toEqual({ landed: 0, duplicate: 7, quarantined: 0 })
    const rawKeys = await keys(store, 'raw/')
    expect(rawKeys).toHaveLength(4)
    expect(rawKeys.every((k) => k.includes('ingest_date=2025-06-01'))).toBe(true)
    expect(await envelopes(store)).toHaveLength(7)
  })

  it('lands an S3 object body as a stream (the way a drop handler would)', async () => {
    const bucket = new S3LakeStore({ client: peer.client, bucket: peer.bucket, prefix: 'drops' })
    await bucket.putIfAbsent('deals.jsonl.gz', readFileSync(join(EXPORTS, 'hubspot/deals.jsonl.gz')))
    const body = await bucket.getStream('deals.jsonl.gz')
    if (body === undefined) throw new Error('object missing')
    const lake = tempLake()
    try {
      const run = new LandRun(lake.store, { source: 'hubspot', now: day1 })
      await run.landExport('deals.jsonl.gz', body, 'etag-1')
      const summary = await run.finish()
      expect(summary.totals).toEqual({ landed: 2, duplicate: 0, quarantined: 0 })
      expect((await envelopes(lake.store)).map((e) => e._run_id)).toEqual(['etag-1', 'etag-1'])
    } finally {
      lake.remove()
    }
  })
})
