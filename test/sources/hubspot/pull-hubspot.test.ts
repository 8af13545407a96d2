import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { hubspotClient, pullHubSpot } from '../../../sources/hubspot/pull-hubspot.js'
import { PullRun } from '../../../sources/landing/pull-run.js'
import { DEFAULT_PULL_SETTINGS, type PullSettings } from '../../../sources/landing/pull-settings.js'
import { readPullState } from '../../../sources/landing/pull-state.js'
import { tempLake } from '../../core/lake/lake-fixture.js'
import { type CrmRecord, FakeHubSpot, hubspotError, SEARCH_CAP } from '../../support/fake-hubspot-server.js'
import { envelopes, landedTwice, stagingDedup } from '../landing/pull-lake.js'

const NOW = Date.parse('2025-06-02T12:00:00Z')
const LAG = 2 * 60_000
const SETTINGS: PullSettings = {
  ...DEFAULT_PULL_SETTINGS,
  overlapMs: 10 * 60_000,
  lagMs: LAG,
  batchRecords: 1000,
}
const iso = (ms: number) => new Date(ms).toISOString()
const BASE = Date.parse('2025-05-01T00:00:00Z')

function record(
  id: number,
  modified: string,
  modifiedProperty: string,
  extra: Record<string, string> = {},
): CrmRecord {
  return {
    id: String(id),
    properties: { [modifiedProperty]: modified, createdate: iso(BASE), name: `Record ${id}`, ...extra },
    createdAt: iso(BASE),
    updatedAt: modified,
    archived: false,
  }
}

/** Companies modified one a second apart (ids in the same order), contacts, deals and a pipeline. */
function seed(fake: FakeHubSpot, companies: number): void {
  for (let i = 1; i <= companies; i += 1) {
    fake.add('companies', record(i, iso(BASE + i * 1000), 'hs_lastmodifieddate', { domain: `c${i}.example` }))
  }
  for (let i = 1; i <= 30; i += 1) {
    fake.add(
      'contacts',
      record(100_000 + i, iso(BASE + i * 60_000), 'lastmodifieddate', { email: `p${i}@x.example` }),
    )
  }
  // A bulk import: 450 deals modified in the same millisecond, then 20 more.
  for (let i = 1; i <= 450; i += 1) {
    fake.add(
      'deals',
      record(200_000 + i, iso(BASE + 3_600_000), 'hs_lastmodifieddate', {
        dealstage: 'appointmentscheduled',
      }),
    )
  }
  for (let i = 451; i <= 470; i += 1) {
    fake.add(
      'deals',
      record(200_000 + i, iso(BASE + 3_600_000 + i), 'hs_lastmodifieddate', { dealstage: 'closedwon' }),
    )
  }
  fake.pipelines.push({
    id: 'default',
    label: 'Sales',
    displayOrder: 0,
    createdAt: iso(BASE),
    updatedAt: iso(BASE),
    archived: false,
    stages: [
      {
        id: 'appointmentscheduled',
        label: 'Appointment',
        displayOrder: 0,
        metadata: { probability: '0.2' },
        archived: false,
      },
      { id: 'closedwon', label: 'Won', displayOrder: 1, metadata: { probability: '1.0' }, archived: false },
    ],
  })
}

describe('pullHubSpot against a loopback HubSpot, driven by @hubspot/api-client', () => {
  let fake: FakeHubSpot
  let lake: ReturnType<typeof tempLake>
  let sleeps: number[]

  beforeAll(async () => {
    fake = await new FakeHubSpot().start()
  })
  afterAll(async () => {
    await fake.stop()
  })
  beforeEach(() => {
    lake = tempLake()
    sleeps = []
    fake.records.clear()
    fake.pipelines.length = 0
    fake.capRefusals = 0
    fake.http.requests.length = 0
    fake.http.recover()
    fake.http.onRequest = undefined
  })
  afterEach(() => lake.remove())

  async function pull(options: { now?: number; remainingMs?: () => number; token?: string } = {}) {
    const run = new PullRun({
      source: 'hubspot',
      store: lake.store,
      settings: SETTINGS,
      clock: () => new Date(options.now ?? NOW),
      retry: {
        sleep: async (ms) => {
          sleeps.push(ms)
        },
        random: () => 0.5,
      },
      ...(options.remainingMs ? { remainingMs: options.remainingMs } : {}),
    })
    const client = hubspotClient({
      HUBSPOT_ACCESS_TOKEN: options.token ?? 'pat-fake',
      HUBSPOT_API_BASE_URL: fake.url,
      HUBSPOT_REQUESTS_PER_SECOND: 1000,
    })
    await pullHubSpot(run, client)
    return run.finish()
  }
  const landed = (summary: Awaited<ReturnType<typeof pull>>, entity: string) =>
    summary.entities.find((e) => e.entity === entity)
  const filtersOf = (body: Record<string, unknown> | undefined) =>
    ((body?.filterGroups ?? []) as { filters: { value: string }[] }[])[0]?.filters ?? []
  const searches = (type: string) =>
    fake.http.seen(`/crm/v3/objects/${type}/search`).map((r) => JSON.parse(r.body) as Record<string, unknown>)

  it('pulls every record past the 10,000 results one search can reach, without ever paging deep', async () => {
    seed(fake, SEARCH_CAP + 450)
    const summary = await pull()
    expect(summary.error).toBeNull()
    expect(landed(summary, 'companies')).toMatchObject({
      landed: SEARCH_CAP + 450,
      duplicate: 0,
      quarantined: 0,
    })
    expect(fake.capRefusals).toBe(0)
    const bodies = searches('companies')
    // Each page is a fresh search from the last timestamp seen, ascending, 200 at a time.
    expect(bodies.every((b) => b.after === undefined && b.limit === 200)).toBe(true)
    expect(bodies[0]).toMatchObject({
      sorts: ['hs_lastmodifieddate'],
      filterGroups: [
        {
          filters: [
            { propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: '0' },
            { propertyName: 'hs_lastmodifieddate', operator: 'LTE', value: String(NOW - LAG) },
          ],
        },
      ],
    })
    expect(bodies[0]?.properties).toContain('domain')
    // The first page brings 200; each next one re-reads the last record at its timestamp, so 199 new.
    expect(bodies.length).toBe(1 + Math.ceil((SEARCH_CAP + 450 - 200) / 199))
    expect(await stagingDedup(lake.root, lake.store, 'hubspot', 'companies')).toMatchObject({
      rows: SEARCH_CAP + 450,
      duplicates: 0,
    })
    expect(summary.entities.map((e) => [e.entity, e.watermark_after])).toEqual(
      ['companies', 'contacts', 'deal_pipelines', 'deals'].map((e) => [e, iso(NOW - LAG)]),
    )
    // The fake does hold HubSpot's cap: paging one search past 10,000 results is refused.
    const client = hubspotClient({
      HUBSPOT_ACCESS_TOKEN: 'pat-fake',
      HUBSPOT_API_BASE_URL: fake.url,
      HUBSPOT_REQUESTS_PER_SECOND: 1000,
    })
    await expect(
      client.crm.objects.searchApi.doSearch('companies', { limit: 200, after: String(SEARCH_CAP - 100) }),
    ).rejects.toMatchObject({ code: 400 })
    expect(fake.capRefusals).toBe(1)
  })

  it('walks more records than a page holds at one timestamp by id, then moves past it', async () => {
    seed(fake, 10)
    const summary = await pull()
    expect(landed(summary, 'deals')).toMatchObject({ landed: 470, duplicate: 0 })
    // 200 of the 450 came with the first search (in no particular order); the id walk finds the rest.
    const ties = searches('deals').filter((b) => (b.sorts as string[])[0] === 'hs_object_id')
    expect(ties).toHaveLength(3)
    expect(ties.map((b) => filtersOf(b)[1]?.value)).toEqual(['0', '200200', '200400'])
    expect(landedTwice(await envelopes(lake.store, 'hubspot', 'deals'))).toEqual([])
    expect(landed(summary, 'deal_pipelines')?.landed).toBe(1)
  })

  it('reads from the watermark less the overlap, and lands archived records as deletions', async () => {
    seed(fake, 10)
    await pull()
    const later = NOW + 3_600_000
    fake.modify('contacts', '100001', { email: 'moved@x.example' }, iso(NOW + 60_000))
    fake.archive('deals', '200470', iso(NOW + 120_000))
    fake.http.requests.length = 0
    const summary = await pull({ now: later })
    expect(summary.status).toBe('complete')
    expect(landed(summary, 'contacts')).toMatchObject({ landed: 1, duplicate: 0 })
    expect(landed(summary, 'deals')).toMatchObject({ landed: 1 })
    const filters = filtersOf(searches('contacts')[0])
    expect(filters.map((f) => f.value)).toEqual([String(NOW - LAG - SETTINGS.overlapMs), String(later - LAG)])
    expect(fake.http.seen('/crm/v3/objects/deals')[0]?.query.get('archived')).toBe('true')
    const deals = await stagingDedup(lake.root, lake.store, 'hubspot', 'deals')
    expect(deals.latest.get('200470')).toMatchObject({ deleted: true, updatedAt: iso(NOW + 120_000) })
    const contacts = await stagingDedup(lake.root, lake.store, 'hubspot', 'contacts')
    expect(JSON.parse(contacts.latest.get('100001')?.payload ?? '{}').properties.email).toBe(
      'moved@x.example',
    )
    // Pipelines are listed whole each run; unchanged, they land nothing new.
    expect(landed(summary, 'deal_pipelines')).toMatchObject({ landed: 0, duplicate: 1 })
  })

  it('a record modified while the pull pages through lands in the next run, and no other record is lost', async () => {
    seed(fake, 3000)
    let searchesSeen = 0
    fake.http.onRequest = (request) => {
      if (request.path !== '/crm/v3/objects/companies/search') return
      searchesSeen += 1
      // After the third page: one record already landed and one not yet read change now.
      if (searchesSeen === 4) {
        fake.modify('companies', '5', { name: 'Changed early' }, iso(NOW))
        fake.modify('companies', '2500', { name: 'Changed late' }, iso(NOW))
      }
    }
    const during = await pull()
    expect(landed(during, 'companies')?.landed).toBe(2999)
    fake.http.onRequest = undefined
    const next = await pull({ now: NOW + 3_600_000 })
    expect(landed(next, 'companies')?.landed).toBe(2)
    const staged = await stagingDedup(lake.root, lake.store, 'hubspot', 'companies')
    expect(staged).toMatchObject({ rows: 3000, ids: 3000, duplicates: 0 })
    expect(JSON.parse(staged.latest.get('5')?.payload ?? '{}').properties.name).toBe('Changed early')
    expect(JSON.parse(staged.latest.get('2500')?.payload ?? '{}').properties.name).toBe('Changed late')
  })

  it('honours Retry-After on 429, waits ten seconds for the rolling limit, and retries 5xx', async () => {
    seed(fake, 10)
    const search = (r: { path: string }) => r.path.endsWith('/search')
    fake.http.fail({
      match: search,
      ...hubspotError(429, 'RATE_LIMITS', 'You have reached your secondly limit.', {
        policyName: 'SECONDLY',
      }),
      status: 429,
      headers: { 'retry-after': '3' },
      times: 1,
    })
    fake.http.fail({
      match: search,
      ...hubspotError(429, 'RATE_LIMITS', 'You have reached your ten_secondly_rolling limit.', {
        policyName: 'TEN_SECONDLY_ROLLING',
      }),
      status: 429,
      times: 1,
    })
    fake.http.fail({ match: search, status: 502, body: {}, times: 1 })
    const summary = await pull()
    expect(summary.status).toBe('complete')
    // The 502 is the same call's third failure: backoff 4 s, jittered to 3 s.
    expect(sleeps).toEqual([3000, 10_000, 3000])
    expect(summary.requests).toMatchObject({ rate_limited: 2, retries: 3 })
  })

  it('fails on a bad token without retrying, naming the scopes to check', async () => {
    seed(fake, 10)
    const summary = await pull({ token: 'pat-wrong' })
    expect(summary.status).toBe('failed')
    expect(summary.error).toMatch(/companies: GET \/crm\/v3\/properties\/companies failed: HTTP 401/)
    expect(sleeps).toEqual([])
  })

  it('resumes after an outage mid-run from its keyset cursor, landing every record exactly once', async () => {
    seed(fake, 1500)
    fake.http.outage(4)
    const broken = await pull()
    expect(broken.status).toBe('failed')
    expect(landed(broken, 'companies')?.watermark_after).toBeNull()
    const open = await readPullState(lake.store, 'hubspot', 'companies')
    expect(open.state.resume).toMatchObject({ phase: 'search', inclusive: true })
    fake.http.recover()
    const again = await pull()
    expect(again.status).toBe('complete')
    expect(again.feeds[0]).toMatchObject({ feed: 'companies', resumed: true })
    expect(landedTwice(await envelopes(lake.store, 'hubspot'))).toEqual([])
    expect(await stagingDedup(lake.root, lake.store, 'hubspot', 'companies')).toMatchObject({
      rows: 1500,
      duplicates: 0,
    })
  })

  it('lands a record delivered twice once', async () => {
    seed(fake, 10)
    const twin = fake.records.get('contacts')?.[3] as CrmRecord
    fake.add('contacts', structuredClone(twin))
    const summary = await pull()
    expect(landed(summary, 'contacts')).toMatchObject({ landed: 30, duplicate: 1 })
  })

  it('stops near the deadline with its cursor saved, and the next run continues', async () => {
    seed(fake, 1500)
    const first = await pull({ remainingMs: () => (searches('companies').length >= 3 ? 30_000 : 600_000) })
    expect(first.status).toBe('continued')
    expect(first.feeds.map((f) => [f.feed, f.status])).toEqual([['companies', 'continued']])
    expect(landed(first, 'companies')).toMatchObject({ landed: 200 + 199 + 199, watermark_after: null })
    const second = await pull()
    expect(second.status).toBe('complete')
    expect(landed(second, 'companies')?.landed).toBe(1500 - 598)
    expect(landedTwice(await envelopes(lake.store, 'hubspot'))).toEqual([])
  })
})
