import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AdsPullEnv, pullAds } from '../../../sources/ads/pull-ads.js'
import { PullRun } from '../../../sources/landing/pull-run.js'
import { DEFAULT_PULL_SETTINGS, type PullSettings } from '../../../sources/landing/pull-settings.js'
import { readPullState } from '../../../sources/landing/pull-state.js'
import { tempLake } from '../../core/lake/lake-fixture.js'
import { FakeAds } from '../../support/fake-ads-server.js'
import { envelopes, stagingDedup } from '../landing/pull-lake.js'

const NOW = Date.parse('2025-06-10T06:00:00Z')
const DAY = 86_400_000
const SETTINGS: PullSettings = { ...DEFAULT_PULL_SETTINGS }

describe('pullAds against loopback Google Ads, Meta and LinkedIn report APIs', () => {
  let fake: FakeAds
  let lake: ReturnType<typeof tempLake>
  let sleeps: number[]

  beforeAll(async () => {
    fake = await new FakeAds().start()
  })
  afterAll(async () => {
    await fake.stop()
  })
  beforeEach(() => {
    lake = tempLake()
    sleeps = []
    fake.days.clear()
    fake.googlePageSize = 2
    fake.http.requests.length = 0
    fake.http.recover()
  })
  afterEach(() => lake.remove())

  function env(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return {
      ADS_LOOKBACK_DAYS: '3',
      ADS_FIRST_PULL_DAYS: '5',
      GOOGLE_ADS_CUSTOMER_ID: '123-456-7890',
      GOOGLE_ADS_DEVELOPER_TOKEN: fake.tokens.developer,
      GOOGLE_ADS_ACCESS_TOKEN: fake.tokens.google,
      GOOGLE_ADS_API_BASE_URL: fake.url,
      GOOGLE_OAUTH_TOKEN_URL: `${fake.url}/token`,
      META_AD_ACCOUNT_ID: 'act_987',
      META_ACCESS_TOKEN: fake.tokens.meta,
      META_API_BASE_URL: fake.url,
      LINKEDIN_AD_ACCOUNT_ID: '555',
      LINKEDIN_ACCESS_TOKEN: fake.tokens.linkedin,
      LINKEDIN_API_BASE_URL: fake.url,
      ...overrides,
    }
  }

  async function pull(
    options: { now?: number; env?: Record<string, string | undefined>; remainingMs?: () => number } = {},
  ) {
    const run = new PullRun({
      source: 'ads',
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
    await pullAds(run, AdsPullEnv.parse(options.env ?? env()))
    return run.finish()
  }
  const landed = (summary: Awaited<ReturnType<typeof pull>>, entity: string) =>
    summary.entities.find((e) => e.entity === entity)

  it('pulls the first days of every platform, day by day, in the shapes of their export files', async () => {
    fake.googlePageSize = 1
    const summary = await pull()
    expect(summary.error).toBeNull()
    expect(summary.quarantine).toEqual([])
    expect(landed(summary, 'google_ads')).toMatchObject({ landed: 10, quarantined: 0 })
    expect(landed(summary, 'meta_ads')).toMatchObject({ landed: 10, quarantined: 0 })
    expect(landed(summary, 'linkedin_ads')).toMatchObject({ landed: 5, quarantined: 0 })
    const google = fake.http.seen('/v21/customers/1234567890/googleAds:search').map((r) => JSON.parse(r.body))
    // Five days from 2025-06-06, two pages a day (one row a page here), the second by nextPageToken.
    expect(google[0].query).toContain("WHERE segments.date = '2025-06-06'")
    expect(google).toHaveLength(10)
    expect(google.filter((b) => b.pageToken !== undefined)).toHaveLength(5)
    const linkedin = fake.http.seen('/rest/adAnalytics')[0]?.raw ?? ''
    expect(linkedin).toContain('dateRange=(start:(year:2025,month:6,day:6),end:(year:2025,month:6,day:6))')
    expect(linkedin).toContain('accounts=List(urn%3Ali%3AsponsoredAccount%3A555)')
    const rows = (await envelopes(lake.store, 'ads', 'google_ads')).map((e) => JSON.parse(e.payload))
    expect(rows.find((r) => r['segments.date'] === '2025-06-06' && r['campaign.id'] === '100')).toEqual({
      'segments.date': '2025-06-06',
      'campaign.id': '100',
      'campaign.name': 'Search',
      'metrics.cost_micros': '16000000',
      'metrics.impressions': '1006',
      'metrics.clicks': '10',
      'customer.currency_code': 'USD',
    })
    // A zero metric that proto3 JSON leaves out lands as 0.
    expect(rows.find((r) => r['campaign.id'] === '200')?.['metrics.clicks']).toBe('0')
    const li = (await envelopes(lake.store, 'ads', 'linkedin_ads')).map((e) => JSON.parse(e.payload))
    expect(li[0]).toMatchObject({
      campaign_group_id: '600001',
      campaign_group_name: 'Brand',
      currency: 'GBP',
    })
    expect(landed(summary, 'meta_ads')?.watermark_after).toBe(new Date(NOW).toISOString())
  })

  it('re-pulls the lookback days: unchanged days are found, a restated day lands whole and wins in staging', async () => {
    fake.googlePageSize = 10
    await pull()
    fake.restate('meta', '2025-06-09', '100', 99.5)
    fake.http.requests.length = 0
    const summary = await pull({ now: NOW + DAY })
    expect(summary.status).toBe('complete')
    // Lookback of three days: 06-09, 06-10 and 06-11 (today); 06-11 is new, 06-09 was restated.
    expect(
      fake.http.seen(/insights$/).map((r) => JSON.parse(r.query.get('time_range') ?? '{}').since),
    ).toEqual(['2025-06-09', '2025-06-10', '2025-06-11'])
    expect(landed(summary, 'meta_ads')).toMatchObject({ landed: 4, duplicate: 2 })
    expect(landed(summary, 'google_ads')).toMatchObject({ landed: 2, duplicate: 4 })
    const staged = await stagingDedup(lake.root, lake.store, 'ads', 'meta_ads')
    expect(staged).toMatchObject({ rows: 12, duplicates: 0 })
    expect(JSON.parse(staged.latest.get('2025-06-09|100')?.payload ?? '{}').spend).toBe('99.50')
  })

  it('waits for Meta throttling as its usage header says, honours Retry-After, and retries 5xx', async () => {
    fake.http.fail({
      match: (r) => r.path.endsWith('/insights'),
      status: 400,
      headers: {
        'x-business-use-case-usage': JSON.stringify({
          '987': [{ type: 'ads_insights', call_count: 100, estimated_time_to_regain_access: 2 }],
        }),
      },
      body: {
        error: {
          message: 'User request limit reached',
          type: 'OAuthException',
          code: 17,
          is_transient: true,
        },
      },
      times: 1,
    })
    fake.http.fail({
      match: (r) => r.path === '/rest/adAnalytics',
      status: 429,
      headers: { 'retry-after': '4' },
      times: 1,
    })
    fake.http.fail({ match: (r) => r.path.endsWith('googleAds:search'), status: 503, body: {}, times: 1 })
    const summary = await pull()
    expect(summary.status).toBe('complete')
    expect(sleeps).toEqual([750, 120_000, 4000])
    expect(summary.requests.rate_limited).toBe(2)
  })

  it('trades a Google refresh token for an access token once per run', async () => {
    const summary = await pull({
      env: env({
        GOOGLE_ADS_ACCESS_TOKEN: undefined,
        GOOGLE_ADS_REFRESH_TOKEN: fake.tokens.refresh,
        GOOGLE_ADS_CLIENT_ID: 'client',
        GOOGLE_ADS_CLIENT_SECRET: 'secret',
      }),
    })
    expect(summary.status).toBe('complete')
    expect(fake.http.seen('/token')).toHaveLength(1)
  })

  it('pulls only the configured platforms, and refuses half a configuration', async () => {
    const only = await pull({
      env: env({ GOOGLE_ADS_CUSTOMER_ID: undefined, LINKEDIN_AD_ACCOUNT_ID: undefined }),
    })
    expect(only.feeds.map((f) => f.feed)).toEqual(['meta_ads'])
    expect(only.notes).toEqual(['ads: google_ads is not configured', 'ads: linkedin_ads is not configured'])
    await expect(pull({ env: env({ META_ACCESS_TOKEN: undefined }) })).rejects.toThrow(
      'META_AD_ACCOUNT_ID is set but META_ACCESS_TOKEN is missing',
    )
    await expect(pull({ env: { GOOGLE_ADS_API_BASE_URL: fake.url } })).rejects.toThrow(
      'no ad platform is configured',
    )
  })

  it('stops between days near the deadline; the next run continues with the next day', async () => {
    const first = await pull({
      remainingMs: () => (fake.http.seen(/googleAds:search$/).length >= 2 ? 10_000 : 600_000),
    })
    expect(first.status).toBe('continued')
    expect(landed(first, 'google_ads')).toMatchObject({ landed: 4, watermark_after: null })
    expect((await readPullState(lake.store, 'ads', 'google_ads')).state.resume).toEqual({ day: '2025-06-08' })
    const second = await pull()
    expect(second.status).toBe('complete')
    expect(landed(second, 'google_ads')).toMatchObject({ landed: 6, duplicate: 0 })
  })
})
