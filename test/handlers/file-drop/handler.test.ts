import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Envelope } from '../../../core/lake/envelope.js'
import { QuarantineRecord } from '../../../core/lake/quarantine-writer.js'
import { S3LakeStore } from '../../../core/lake/s3-lake-store.js'
import { droppedObjects } from '../../../handlers/file-drop/drop-event.js'
import { handler } from '../../../handlers/file-drop/handler.js'
import { readLines } from '../../core/lake/lake-fixture.js'
import { type S3Peer, startS3rver } from '../../core/lake/s3rver-peer.js'

const EXPORTS = join(import.meta.dirname, '../../fixtures/exports')
const saved = { ...process.env }
let s3: S3Peer

/** An S3 event notification, its key URL-encoded as S3 sends it. */
function notification(key: string, bucket = 'landing') {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'), size: 1 },
        },
      },
    ],
  }
}

/** EventBridge's "Object Created" for a bucket with EventBridge notifications on. */
function objectCreated(key: string) {
  return {
    version: '0',
    id: 'c9888434-815d-c6f4-9fc2-4dd7bdeccaaf',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '123456789012',
    time: '2025-06-01T00:00:00Z',
    region: 'us-east-1',
    resources: ['arn:aws:s3:::landing'],
    detail: { version: '0', bucket: { name: 'landing' }, object: { key, size: 1 }, reason: 'PutObject' },
  }
}

async function drop(key: string, file: string): Promise<void> {
  await s3.client.send(
    new PutObjectCommand({ Bucket: 'landing', Key: key, Body: readFileSync(join(EXPORTS, file)) }),
  )
}

const lake = () => new S3LakeStore({ client: s3.client, bucket: 'raw' })

beforeAll(async () => {
  s3 = await startS3rver('landing')
  await s3.client.send(new CreateBucketCommand({ Bucket: 'raw' }))
  const endpoint = await s3.client.config.endpoint?.()
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${endpoint?.port}`,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    RAW_BUCKET: 'raw',
  })
})
afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
  Object.assign(process.env, saved)
  await s3.stop()
})

describe('the file-drop Lambda', () => {
  it('streams a dropped export from S3 and lands it like revops land', async () => {
    await drop('landing/salesforce/2025-06/Opportunity.csv', 'salesforce/Opportunity.csv')
    const result = await handler(notification('landing/salesforce/2025-06/Opportunity.csv'))
    expect(result.objects).toHaveLength(1)
    expect(result.objects[0]).toMatchObject({ status: 'landed' })
    expect(result.objects[0]?.summary?.totals).toEqual({ landed: 3, duplicate: 0, quarantined: 0 })
    const rows = (await readLines(lake(), 'raw/source=salesforce/entity=opportunity/')).map((l) =>
      Envelope.parse(l),
    )
    expect(rows).toHaveLength(3)
    expect(new Set(rows.map((r) => r._run_id)).size).toBe(1)
    expect(rows[0]?._run_id).toMatch(/^s3-[0-9a-f]{32}$/)
  })

  it('lands nothing twice when the event is delivered again, in either event form', async () => {
    await drop('landing/hubspot/deals.jsonl.gz', 'hubspot/deals.jsonl.gz')
    const first = await handler(objectCreated('landing/hubspot/deals.jsonl.gz'))
    const landed = first.objects[0]?.summary?.totals.landed ?? 0
    expect(landed).toBeGreaterThan(0)
    const again = await handler(notification('landing/hubspot/deals.jsonl.gz'))
    expect(again.objects[0]?.summary?.totals).toEqual({ landed: 0, duplicate: landed, quarantined: 0 })
    expect(await readLines(lake(), 'raw/source=hubspot/entity=deals/')).toHaveLength(landed)
  })

  it('decodes S3-encoded keys (spaces, unicode)', async () => {
    await drop('landing/hubspot/my contäcts.json', 'hubspot/contacts.json')
    const result = await handler(notification('landing/hubspot/my contäcts.json'))
    // The name does not match an entity (`my contäcts`): the file is quarantined as unknown, not lost.
    expect(result.objects[0]).toMatchObject({ status: 'landed', key: 'landing/hubspot/my contäcts.json' })
    expect(result.objects[0]?.summary?.quarantine.map((q) => q.reason_class)).toEqual(['unknown_file'])
  })

  it('quarantines bad records and unknown files with file, line and reason', async () => {
    await drop('landing/stripe/charges.jsonl', 'broken/stripe/charges.jsonl')
    await drop('landing/stripe/notes.txt', 'broken/stripe/notes.txt')
    const charges = await handler(notification('landing/stripe/charges.jsonl'))
    expect(charges.objects[0]?.summary?.totals).toEqual({ landed: 3, duplicate: 0, quarantined: 4 })
    const notes = await handler(objectCreated('landing/stripe/notes.txt'))
    expect(notes.objects[0]?.summary?.quarantine[0]?.reason_class).toBe('unknown_file')
    const quarantined = (await readLines(lake(), 'quarantine/source=stripe/')).map((l) =>
      QuarantineRecord.parse(l),
    )
    expect(quarantined.map((q) => [q._file, q._reason_class]).sort()).toEqual(
      [
        ['charges.jsonl', 'invalid_field'],
        ['charges.jsonl', 'invalid_field'],
        ['charges.jsonl', 'malformed_record'],
        ['charges.jsonl', 'missing_field'],
        ['notes.txt', 'unknown_file'],
      ].sort(),
    )
  })

  it('skips what is not a drop, or is gone, and fails on an unknown source folder', async () => {
    await drop('elsewhere/Opportunity.csv', 'salesforce/Opportunity.csv')
    expect((await handler(notification('elsewhere/Opportunity.csv'))).objects[0]).toMatchObject({
      status: 'skipped',
      reason: 'not a file under landing/<source>/',
    })
    await drop('landing/salesforce/gone.csv', 'salesforce/Opportunity.csv')
    await s3.client.send(new DeleteObjectCommand({ Bucket: 'landing', Key: 'landing/salesforce/gone.csv' }))
    expect((await handler(notification('landing/salesforce/gone.csv'))).objects[0]).toMatchObject({
      status: 'skipped',
      reason: 'the object is gone',
    })
    await drop('landing/netsuite/x.csv', 'salesforce/Opportunity.csv')
    await expect(handler(notification('landing/netsuite/x.csv'))).rejects.toThrow(
      /landing\/netsuite\/x\.csv is not under a source folder/,
    )
    await expect(handler({ hello: 'world' })).rejects.toThrow(/not an S3 notification/)
  })

  it('reads both event forms, and only the created objects of a notification', () => {
    const mixed = notification('landing/ads/a+b.csv')
    mixed.Records.push({
      ...mixed.Records[0],
      eventName: 'ObjectRemoved:Delete',
    } as (typeof mixed.Records)[number])
    expect(droppedObjects(mixed).map((o) => o.key)).toEqual(['landing/ads/a+b.csv'])
    expect(droppedObjects(objectCreated('landing/ads/a%20b.csv'))[0]).toMatchObject({
      key: 'landing/ads/a%20b.csv',
      altKey: 'landing/ads/a b.csv',
    })
  })
})
