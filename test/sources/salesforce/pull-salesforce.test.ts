import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { PullRun } from '../../../sources/landing/pull-run.js'
import { DEFAULT_PULL_SETTINGS, type PullSettings } from '../../../sources/landing/pull-settings.js'
import { readPullState } from '../../../sources/landing/pull-state.js'
import {
  pullSalesforce,
  SalesforcePullEnv,
  salesforceConnection,
} from '../../../sources/salesforce/pull-salesforce.js'
import { tempLake } from '../../core/lake/lake-fixture.js'
import { FakeSalesforce, type SfRecord, sfError } from '../../support/fake-salesforce-server.js'
import { envelopes, landedTwice, stagingDedup } from '../landing/pull-lake.js'

const NOW = Date.parse('2025-06-02T12:00:00Z')
const LAG = 2 * 60_000
const SETTINGS: PullSettings = {
  ...DEFAULT_PULL_SETTINGS,
  overlapMs: 10 * 60_000,
  lagMs: LAG,
  batchRecords: 2000,
}
const BASE = Date.parse('2025-05-01T00:00:00Z')
/** Salesforce's date-time text. */
const sf = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000')
const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(15, '0')}`

const COMMON = ['Id', 'IsDeleted', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp'].map((name) => ({
  name,
  type: name === 'Id' ? 'id' : name === 'IsDeleted' ? 'boolean' : 'datetime',
}))
const text = (...names: string[]) => names.map((name) => ({ name, type: 'string' }))

function stamps(at: number): Record<string, unknown> {
  return { IsDeleted: false, CreatedDate: sf(BASE), LastModifiedDate: sf(at), SystemModstamp: sf(at) }
}

function seed(fake: FakeSalesforce, accounts: number): void {
  fake.define('Account', [
    ...COMMON,
    ...text('Name', 'Type', 'OwnerId'),
    { name: 'BillingAddress', type: 'address' },
  ])
  fake.define('User', [...COMMON, ...text('Name', 'Email')])
  fake.define('Contact', [...COMMON, ...text('AccountId', 'Email')])
  fake.define('Lead', [...COMMON, ...text('Status', 'Company')])
  fake.define('Campaign', [...COMMON, ...text('Name')])
  fake.define('CampaignMember', [...COMMON, ...text('CampaignId', 'LeadId')])
  fake.define('Opportunity', [
    ...COMMON,
    ...text('AccountId', 'StageName', 'CloseDate'),
    { name: 'IsClosed', type: 'boolean' },
    { name: 'IsWon', type: 'boolean' },
    { name: 'Amount', type: 'currency' },
  ])
  fake.define('OpportunityHistory', [...COMMON, ...text('OpportunityId', 'StageName')])
  fake.define(
    'OpportunityFieldHistory',
    ['Id', 'IsDeleted', 'CreatedDate']
      .map((name) => ({ name, type: name === 'Id' ? 'id' : 'string' }))
      .concat(text('OpportunityId', 'Field', 'OldValue', 'NewValue')),
  )
  for (let i = 1; i <= accounts; i += 1) {
    // Pairs of accounts share a SystemModstamp, so the keyset needs Id as well.
    fake.add('Account', {
      Id: id('001', i),
      ...stamps(BASE + Math.ceil(i / 2) * 60_000),
      Name: `Account ${i}`,
      Type: 'Customer',
      IsDeleted: i % 100 === 0,
    })
  }
  fake.add('User', { Id: id('005', 1), ...stamps(BASE), Name: 'Rep', Email: 'rep@x.example' })
  for (let i = 1; i <= 50; i += 1) {
    fake.add('Opportunity', {
      Id: id('006', i),
      ...stamps(BASE + i * 3_600_000),
      AccountId: id('001', i),
      StageName: i % 2 ? 'Closed Won' : 'Prospecting',
      CloseDate: '2025-05-20',
      IsClosed: i % 2 === 1,
      IsWon: i % 2 === 1,
      Amount: 1000 * i,
    })
  }
  for (let i = 1; i <= 20; i += 1) {
    fake.add('OpportunityFieldHistory', {
      Id: id('017', i),
      IsDeleted: false,
      CreatedDate: sf(BASE + i * 60_000),
      OpportunityId: id('006', i),
      Field: 'StageName',
      OldValue: 'Prospecting',
      NewValue: 'Closed Won',
    })
  }
}

describe('pullSalesforce against a loopback Salesforce, driven by jsforce', () => {
  let fake: FakeSalesforce
  let lake: ReturnType<typeof tempLake>

  beforeAll(async () => {
    fake = await new FakeSalesforce().start()
  })
  afterAll(async () => {
    await fake.stop()
  })
  beforeEach(() => {
    lake = tempLake()
    fake.objects.clear()
    fake.fields.clear()
    fake.apiUsed = 0
    fake.apiLimit = 15_000
    fake.token = 'sf-session'
    fake.http.requests.length = 0
    fake.http.recover()
    fake.http.onRequest = undefined
  })
  afterEach(() => lake.remove())

  async function pull(
    options: { now?: number; env?: Record<string, string>; remainingMs?: () => number } = {},
  ) {
    const run = new PullRun({
      source: 'salesforce',
      store: lake.store,
      settings: SETTINGS,
      clock: () => new Date(options.now ?? NOW),
      ...(options.remainingMs ? { remainingMs: options.remainingMs } : {}),
    })
    const env = SalesforcePullEnv.parse({
      SALESFORCE_INSTANCE_URL: fake.url,
      SALESFORCE_LOGIN_URL: fake.url,
      ...(options.env ?? { SALESFORCE_ACCESS_TOKEN: 'sf-session' }),
    })
    await pullSalesforce(run, salesforceConnection(env), env)
    return run.finish()
  }
  const landed = (summary: Awaited<ReturnType<typeof pull>>, entity: string) =>
    summary.entities.find((e) => e.entity === entity)
  const soql = (object: string) =>
    fake.http
      .seen(/\/queryAll$/)
      .map((r) => r.query.get('q') ?? '')
      .filter((q) => q.includes(` FROM ${object} `))

  it('pulls each object with queryAll and queryMore, deleted rows included, every watermark to the window end', async () => {
    seed(fake, 4500)
    const summary = await pull()
    expect(summary.error).toBeNull()
    expect(landed(summary, 'account')).toMatchObject({ landed: 4500, duplicate: 0, quarantined: 0 })
    expect(landed(summary, 'opportunity')?.landed).toBe(50)
    expect(landed(summary, 'opportunity_field_history')?.landed).toBe(20)
    // One queryAll, then the locators Salesforce hands out (under /query/, even for queryAll).
    expect(fake.http.seen(/\/query\/01gFAKE\d+-\d+$/).map((r) => r.path.split('-').at(-1))).toEqual([
      '2000',
      '4000',
    ])
    const [accounts] = soql('Account')
    expect(accounts).toMatch(
      /^SELECT Id, IsDeleted, CreatedDate, LastModifiedDate, SystemModstamp, Name, Type, OwnerId FROM Account /,
    )
    expect(accounts).toContain(
      'WHERE SystemModstamp <= 2025-06-02T11:58:00Z ORDER BY SystemModstamp ASC, Id ASC',
    )
    expect(soql('OpportunityFieldHistory')[0]).toContain('ORDER BY CreatedDate ASC, Id ASC')
    const staged = await stagingDedup(lake.root, lake.store, 'salesforce', 'account')
    expect(staged).toMatchObject({ rows: 4500, duplicates: 0 })
    expect(staged.latest.get(id('001', 100))?.deleted).toBe(true)
    expect(summary.entities.every((e) => e.watermark_after === '2025-06-02T11:58:00.000Z')).toBe(true)
  })

  it('re-reads the overlap: a row committed late with an older SystemModstamp still lands, nothing lands twice', async () => {
    seed(fake, 10)
    await pull()
    const later = NOW + 3_600_000
    fake.update('Account', id('001', 3), { Name: 'Renamed', SystemModstamp: sf(NOW + 60_000) })
    // Committed after the first pull, stamped before its window end.
    fake.add('Account', { Id: id('001', 99), ...stamps(NOW - LAG - 5 * 60_000), Name: 'Late' })
    fake.http.requests.length = 0
    const summary = await pull({ now: later })
    expect(summary.status).toBe('complete')
    expect(landed(summary, 'account')).toMatchObject({ landed: 2 })
    expect(soql('Account')[0]).toContain(
      'SystemModstamp <= 2025-06-02T12:58:00Z AND SystemModstamp >= 2025-06-02T11:48:00Z',
    )
    const staged = await stagingDedup(lake.root, lake.store, 'salesforce', 'account')
    expect(staged.latest.has(id('001', 99))).toBe(true)
    expect(JSON.parse(staged.latest.get(id('001', 3))?.payload ?? '{}').Name).toBe('Renamed')
  })

  it('rides out 429 and 503 (jsforce retries them), and lands a record delivered twice once', async () => {
    seed(fake, 10)
    fake.add('Account', structuredClone(fake.objects.get('Account')?.[4] as SfRecord))
    fake.http.fail({
      match: (r) => r.path.endsWith('/queryAll'),
      status: 429,
      body: [{ errorCode: 'REQUEST_LIMIT', message: 'slow down' }],
      times: 1,
    })
    fake.http.fail({ match: (r) => r.path.endsWith('/describe'), status: 503, body: [], times: 1 })
    const summary = await pull()
    expect(summary.status).toBe('complete')
    expect(landed(summary, 'account')).toMatchObject({ landed: 10, duplicate: 1 })
    expect(fake.http.seen(/\/sobjects\/User\/describe$/)).toHaveLength(2)
  })

  it('stops on the daily request limit keeping its watermark, and the next run resumes from (SystemModstamp, Id)', async () => {
    seed(fake, 4500)
    let batches = 0
    fake.http.onRequest = (request) => {
      if (!request.path.includes('/query/01gFAKE')) return
      batches += 1
      if (batches === 1) {
        fake.http.fail({
          status: 403,
          ...sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
          times: 1,
        })
      }
    }
    const stopped = await pull()
    expect(stopped.status).toBe('failed')
    expect(stopped.error).toMatch(/account: queryMore Account failed: REQUEST_LIMIT_EXCEEDED/)
    expect(landed(stopped, 'account')).toMatchObject({ landed: 2000, watermark_after: null })
    const open = await readPullState(lake.store, 'salesforce', 'account')
    expect(open.state.resume).toEqual({ at: '2025-05-01T16:40:00Z', id: id('001', 2000) })
    fake.http.onRequest = undefined
    fake.http.requests.length = 0
    const resumed = await pull()
    expect(resumed.status).toBe('complete')
    expect(soql('Account')[0]).toContain(
      `(SystemModstamp > 2025-05-01T16:40:00Z OR (SystemModstamp = 2025-05-01T16:40:00Z AND Id > '${id('001', 2000)}'))`,
    )
    expect(landed(resumed, 'account')?.landed).toBe(2500)
    expect(landedTwice(await envelopes(lake.store, 'salesforce'))).toEqual([])
    expect(await stagingDedup(lake.root, lake.store, 'salesforce', 'account')).toMatchObject({
      rows: 4500,
      duplicates: 0,
    })
  })

  it('a record changed while the pull pages through lands in this run or the next, never lost', async () => {
    seed(fake, 4500)
    let changed = false
    fake.http.onRequest = (request) => {
      if (changed || !request.path.includes('/query/01gFAKE')) return
      changed = true
      fake.update('Account', id('001', 10), { Name: 'Early change', SystemModstamp: sf(NOW) })
      fake.update('Account', id('001', 4400), { Name: 'Late change', SystemModstamp: sf(NOW) })
    }
    expect((await pull()).status).toBe('complete')
    fake.http.onRequest = undefined
    expect((await pull({ now: NOW + 3_600_000 })).status).toBe('complete')
    const staged = await stagingDedup(lake.root, lake.store, 'salesforce', 'account')
    expect(staged).toMatchObject({ rows: 4500, duplicates: 0 })
    expect(JSON.parse(staged.latest.get(id('001', 10))?.payload ?? '{}').Name).toBe('Early change')
    expect(JSON.parse(staged.latest.get(id('001', 4400))?.payload ?? '{}').Name).toBe('Late change')
    expect(landedTwice(await envelopes(lake.store, 'salesforce'))).toEqual([])
  })

  it('renews the session with a refresh token', async () => {
    seed(fake, 10)
    const summary = await pull({
      env: { SALESFORCE_REFRESH_TOKEN: 'sf-refresh', SALESFORCE_CLIENT_ID: 'sf-client' },
    })
    expect(summary.status).toBe('complete')
    expect(fake.http.seen('/services/oauth2/token')).toHaveLength(1)
  })

  it('fails loudly past its API budget', async () => {
    seed(fake, 10)
    fake.apiUsed = 12_500
    const summary = await pull()
    expect(summary.status).toBe('failed')
    expect(summary.error).toMatch(
      /API usage is at 12501 of 15000 daily requests, past the pull's budget of 80%/,
    )
  })

  it('stops near the deadline and the next run continues', async () => {
    seed(fake, 4500)
    const first = await pull({
      remainingMs: () => (fake.http.seen(/\/query\/01gFAKE/).length >= 1 ? 10_000 : 600_000),
    })
    expect(first.status).toBe('continued')
    expect(landed(first, 'account')).toMatchObject({ landed: 4000, watermark_after: null })
    const second = await pull()
    expect(second.status).toBe('complete')
    expect(landed(second, 'account')?.landed).toBe(500)
    expect(landedTwice(await envelopes(lake.store, 'salesforce'))).toEqual([])
  })
})
