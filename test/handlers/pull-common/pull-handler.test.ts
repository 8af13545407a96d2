import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Envelope } from '../../../core/lake/envelope.js'
import { S3LakeStore } from '../../../core/lake/s3-lake-store.js'
import { readWatermark } from '../../../core/lake/watermark.js'
import { handler as pullAds } from '../../../handlers/pull-ads/handler.js'
import { PullFailedError } from '../../../handlers/pull-common/pull-handler.js'
import { handler as pullHubSpot } from '../../../handlers/pull-hubspot/handler.js'
import { handler as pullSalesforce } from '../../../handlers/pull-salesforce/handler.js'
import { handler as pullStripe } from '../../../handlers/pull-stripe/handler.js'
import { readPullState } from '../../../sources/landing/pull-state.js'
import { readLines } from '../../core/lake/lake-fixture.js'
import { type S3Peer, startS3rver } from '../../core/lake/s3rver-peer.js'
import { landedTwice } from '../../sources/landing/pull-lake.js'
import { FakeAds } from '../../support/fake-ads-server.js'
import { FakeHubSpot } from '../../support/fake-hubspot-server.js'
import { FakeSalesforce } from '../../support/fake-salesforce-server.js'
import { FakeSecretsManager } from '../../support/fake-secrets-manager-server.js'
import { FakeStripe, stripeError } from '../../support/fake-stripe-server.js'

const DAY_AGO = Math.floor(Date.now() / 1000) - 86_400
const saved = { ...process.env }

let s3: S3Peer
let secrets: FakeSecretsManager
let stripe: FakeStripe
let secretArn: string
let prefixes = 0

/** A Lambda context whose time left is whatever `left()` says. */
const context = (left: () => number = () => 600_000) => ({ getRemainingTimeInMillis: left })

beforeAll(async () => {
  s3 = await startS3rver('landing')
  await s3.client.send(new CreateBucketCommand({ Bucket: 'raw' }))
  secrets = await new FakeSecretsManager().start()
  stripe = await new FakeStripe('rk_test_from_secret').start()
  for (let i = 1; i <= 150; i += 1) {
    stripe.add('customers', {
      id: `cus_${String(i).padStart(3, '0')}`,
      object: 'customer',
      created: DAY_AGO + i,
    })
  }
  secretArn = secrets.put(
    'revops/stripe',
    JSON.stringify({ STRIPE_API_KEY: 'rk_test_from_secret', STRIPE_API_BASE_URL: stripe.url }),
  )
  const endpoint = await s3.client.config.endpoint?.()
  // The handlers build their AWS clients from the environment, as on Lambda.
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${endpoint?.port}`,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    RAW_BUCKET: 'raw',
  })
})
afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
  Object.assign(process.env, saved)
  await stripe.stop()
  await secrets.stop()
  await s3.stop()
})
beforeEach(() => {
  // Each test pulls into its own lake folder of the raw bucket.
  prefixes += 1
  process.env.RAW_PREFIX = `lake${prefixes}`
  for (const key of ['REVOPS_SECRET_ARN', 'STRIPE_API_KEY', 'STRIPE_API_BASE_URL']) delete process.env[key]
  stripe.http.recover()
  stripe.http.requests.length = 0
})

const lake = () => new S3LakeStore({ client: s3.client, bucket: 'raw', prefix: process.env.RAW_PREFIX ?? '' })

describe('the pull Lambdas', () => {
  it('pull Stripe with the token from Secrets Manager into the raw bucket', async () => {
    process.env.REVOPS_SECRET_ARN = secretArn
    const summary = await pullStripe({}, context())
    expect(summary.status).toBe('complete')
    expect(summary.entities.find((e) => e.entity === 'customers')?.landed).toBe(150)
    expect(summary.lake).toBe(`s3://raw/${process.env.RAW_PREFIX}/`)
    expect(secrets.http.seen('/')).toHaveLength(1)
    expect((await readWatermark(lake(), 'stripe', 'customers'))?.cursor).toBe(
      summary.entities[0]?.watermark_after,
    )
  })

  it('stop starting pages near the deadline, return "continued" with the watermark kept, and finish next time', async () => {
    process.env.REVOPS_SECRET_ARN = secretArn
    const first = await pullStripe(
      {},
      context(() => (stripe.http.requests.length >= 1 ? 30_000 : 600_000)),
    )
    expect(first.status).toBe('continued')
    expect(first.error).toMatch(/continued next run/)
    expect(await readWatermark(lake(), 'stripe', 'customers')).toBeUndefined()
    expect((await readPullState(lake(), 'stripe', 'backfill_customers')).state.resume).toEqual({
      starting_after: 'cus_051',
    })
    const second = await pullStripe({}, context())
    expect(second.status).toBe('complete')
    expect(second.entities.find((e) => e.entity === 'customers')?.landed).toBe(50)
    const landed = (await readLines(lake(), 'raw/source=stripe/entity=customers/')).map((l) =>
      Envelope.parse(l),
    )
    expect(landed).toHaveLength(150)
    expect(landedTwice(landed)).toEqual([])
  })

  it('throw when a pull fails, after keeping what landed, so retries and the DLQ see it', async () => {
    process.env.REVOPS_SECRET_ARN = secretArn
    // Not retryable, so the test does not wait through the backoff.
    stripe.http.outage(1, { ...stripeError(400, 'invalid_request_error', 'Invalid request'), status: 400 })
    const failing = pullStripe({}, context())
    await expect(failing).rejects.toBeInstanceOf(PullFailedError)
    await expect(failing).rejects.toThrow(/stripe pull failed: stripe\/backfill_customers: .*HTTP 400/)
    expect(await readWatermark(lake(), 'stripe', 'customers')).toBeUndefined()
    expect((await readPullState(lake(), 'stripe', 'backfill_customers')).state.pages).toBe(1)
  })

  it('take fullRefresh from the schedule input or an EventBridge detail, and refuse bad env and events', async () => {
    process.env.REVOPS_SECRET_ARN = secretArn
    await pullStripe({}, context())
    const refreshed = await pullStripe({ detail: { fullRefresh: true } }, context())
    expect(refreshed.feeds.map((f) => f.feed)).toContain('backfill_customers')
    expect(refreshed.entities.find((e) => e.entity === 'customers')).toMatchObject({
      landed: 0,
      duplicate: 150,
    })
    await expect(pullStripe('now', context())).rejects.toThrow(/not a schedule event/)
    delete process.env.REVOPS_SECRET_ARN
    await expect(pullStripe({}, context())).rejects.toThrow(/STRIPE_API_KEY is not set/)
    process.env.RAW_BUCKET = 'Not_A_Bucket'
    await expect(pullStripe({}, context())).rejects.toThrow(/RAW_BUCKET: expected an S3 bucket name/)
    process.env.RAW_BUCKET = 'raw'
  })

  it('pull HubSpot, Salesforce and ads with their settings from env', async () => {
    const hubspot = await new FakeHubSpot().start()
    const salesforce = await new FakeSalesforce().start()
    const ads = await new FakeAds().start()
    try {
      const at = new Date((DAY_AGO + 60) * 1000).toISOString()
      hubspot.add('deals', {
        id: '1',
        properties: { hs_lastmodifieddate: at, dealname: 'Big' },
        createdAt: at,
        updatedAt: at,
        archived: false,
      })
      salesforce.define(
        'User',
        ['Id', 'IsDeleted', 'SystemModstamp', 'Name'].map((name) => ({ name, type: 'string' })),
      )
      salesforce.add('User', { Id: '005000000000001', IsDeleted: false, SystemModstamp: at, Name: 'Rep' })
      for (const o of [
        'Account',
        'Contact',
        'Lead',
        'Campaign',
        'CampaignMember',
        'Opportunity',
        'OpportunityHistory',
      ]) {
        salesforce.define(
          o,
          ['Id', 'SystemModstamp'].map((name) => ({ name, type: 'string' })),
        )
      }
      salesforce.define(
        'OpportunityFieldHistory',
        ['Id', 'CreatedDate'].map((name) => ({ name, type: 'string' })),
      )
      Object.assign(process.env, {
        HUBSPOT_ACCESS_TOKEN: hubspot.token,
        HUBSPOT_API_BASE_URL: hubspot.url,
        HUBSPOT_REQUESTS_PER_SECOND: '1000',
        SALESFORCE_INSTANCE_URL: salesforce.url,
        SALESFORCE_ACCESS_TOKEN: salesforce.token,
        META_AD_ACCOUNT_ID: '987',
        META_ACCESS_TOKEN: ads.tokens.meta,
        META_API_BASE_URL: ads.url,
        ADS_FIRST_PULL_DAYS: '2',
      })
      const h = await pullHubSpot({}, context())
      expect([h.status, h.entities.find((e) => e.entity === 'deals')?.landed]).toEqual(['complete', 1])
      const s = await pullSalesforce({}, context())
      expect([s.status, s.entities.find((e) => e.entity === 'user')?.landed]).toEqual(['complete', 1])
      const a = await pullAds({}, context())
      expect([a.status, a.entities.find((e) => e.entity === 'meta_ads')?.landed]).toEqual(['complete', 4])
    } finally {
      await hubspot.stop()
      await salesforce.stop()
      await ads.stop()
    }
  })
})
