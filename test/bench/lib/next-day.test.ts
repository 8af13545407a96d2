import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import {
  DAY_MS,
  inLastDay,
  instantOf,
  NEXT_DAY_RULES,
  NEXT_ID,
  type NextDayRule,
  nextDayRecord,
  shiftValue,
  writeNextDay,
} from '../../../bench/lib/next-day.js'

const rule = (file: string): NextDayRule => {
  const found = NEXT_DAY_RULES.find((r) => r.file === file)
  if (!found) throw new Error(`no next-day rule for ${file}`)
  return found
}

describe('shiftValue', () => {
  it('moves an instant a day later in the spelling it came in', () => {
    expect(shiftValue(1_735_689_600, 1)).toBe(1_735_776_000)
    expect(shiftValue('2025-12-31', 1)).toBe('2026-01-01')
    expect(shiftValue('2025-12-31T23:30:00.000Z', 1)).toBe('2026-01-01T23:30:00.000Z')
    expect(shiftValue('2025-12-31T23:30:00Z', 1)).toBe('2026-01-01T23:30:00Z')
    expect(shiftValue('2025-12-31T09:54:38.000+0000', 1)).toBe('2026-01-01T09:54:38.000+0000')
  })

  it('leaves what is not an instant alone', () => {
    expect(shiftValue('20000007919', 1)).toBe('20000007919')
    expect(shiftValue('Closed Won', 1)).toBe('Closed Won')
    expect(instantOf('2025-12-31T09:54:38')).toBeUndefined()
  })
})

describe('nextDayRecord', () => {
  it('copies an event as a new one a day later', () => {
    const event = { id: 'evt_1', created: 1_735_689_600, data: { object: { id: 'sub_1' } } }
    expect(nextDayRecord(event, rule('stripe/events.jsonl.gz'))).toEqual({
      id: `evt_1${NEXT_ID}`,
      created: 1_735_776_000,
      data: { object: { id: 'sub_1' } },
    })
    expect(event.id).toBe('evt_1')
  })

  it('gives a new contact its own id and email, every date a day later', () => {
    const contact = {
      id: '101',
      createdAt: '2025-12-31T10:00:00.000Z',
      properties: {
        hs_object_id: '101',
        email: 'ann@example.com',
        hs_lifecyclestage_lead_date: '2025-12-31T10:00:00.000Z',
      },
    }
    expect(nextDayRecord(contact, rule('hubspot/contacts.jsonl.gz'))).toEqual({
      id: `101${NEXT_ID}`,
      createdAt: '2026-01-01T10:00:00.000Z',
      properties: {
        hs_object_id: `101${NEXT_ID}`,
        email: `${NEXT_ID}.ann@example.com`,
        hs_lifecyclestage_lead_date: '2026-01-01T10:00:00.000Z',
      },
    })
  })

  it('touches an opportunity: same id and dates, a later modstamp', () => {
    const row = {
      Id: '006A',
      CloseDate: '2026-01-15',
      SystemModstamp: '2025-12-31T09:00:00.000+0000',
      LastModifiedDate: '2025-12-31T08:59:00.000+0000',
    }
    expect(nextDayRecord(row, rule('salesforce/Opportunity.csv'))).toEqual({
      Id: '006A',
      CloseDate: '2026-01-15',
      SystemModstamp: '2026-01-01T09:00:00.000+0000',
      LastModifiedDate: '2026-01-01T08:59:00.000+0000',
    })
  })
})

describe('inLastDay', () => {
  it('keeps the day up to the latest instant', () => {
    const latest = Date.parse('2025-12-31T12:00:00Z')
    expect(inLastDay(latest, latest)).toBe(true)
    expect(inLastDay(latest - DAY_MS + 1, latest)).toBe(true)
    expect(inLastDay(latest - DAY_MS, latest)).toBe(false)
    expect(inLastDay(undefined, latest)).toBe(false)
  })
})

describe('writeNextDay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'revops-bench-next-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('writes the last day’s records again a day later, only for files that exist', async () => {
    const exportsDir = join(dir, 'exports')
    mkdirSync(join(exportsDir, 'stripe'), { recursive: true })
    mkdirSync(join(exportsDir, 'ads'), { recursive: true })
    const events = [
      { id: 'evt_old', created: Date.parse('2025-12-20T00:00:00Z') / 1000 },
      { id: 'evt_a', created: Date.parse('2025-12-31T08:00:00Z') / 1000 },
      { id: 'evt_b', created: Date.parse('2025-12-31T18:00:00Z') / 1000 },
    ]
    writeFileSync(
      join(exportsDir, 'stripe', 'events.jsonl.gz'),
      gzipSync(`${events.map((e) => JSON.stringify(e)).join('\n')}\n`),
    )
    writeFileSync(
      join(exportsDir, 'ads', 'ad_spend.csv'),
      'date,channel,campaign_id,campaign_name,spend,currency,impressions,clicks\n' +
        '2025-12-30,microsoft_ads,m-1,"Bing, Brand",10.5,USD,100,3\n' +
        '2025-12-31,microsoft_ads,m-1,"Bing, Brand",12.5,USD,120,4\n',
    )
    const out = join(dir, 'next')
    const files = await writeNextDay(exportsDir, out)
    expect(files).toEqual([
      { file: 'stripe/events.jsonl.gz', rows: 2 },
      { file: 'ads/ad_spend.csv', rows: 1 },
    ])
    const written = gunzipSync(readFileSync(join(out, 'stripe', 'events.jsonl.gz')))
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(written.map((e) => e.id)).toEqual([`evt_a${NEXT_ID}`, `evt_b${NEXT_ID}`])
    expect(written[0].created).toBe(Date.parse('2026-01-01T08:00:00Z') / 1000)
    expect(readFileSync(join(out, 'ads', 'ad_spend.csv'), 'utf8')).toBe(
      'date,channel,campaign_id,campaign_name,spend,currency,impressions,clicks\n' +
        '2026-01-01,microsoft_ads,m-1,"Bing, Brand",12.5,USD,120,4\n',
    )
  })
})
