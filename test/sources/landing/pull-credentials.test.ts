import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HubSpotPullEnv } from '../../../sources/hubspot/pull-hubspot.js'
import { loadPullEnv } from '../../../sources/landing/pull-credentials.js'
import { SalesforcePullEnv } from '../../../sources/salesforce/pull-salesforce.js'
import { StripePullEnv } from '../../../sources/stripe/pull-stripe.js'
import { FakeSecretsManager } from '../../support/fake-secrets-manager-server.js'

describe('loadPullEnv: settings from env, overlaid by a Secrets Manager secret, checked by zod', () => {
  let fake: FakeSecretsManager
  let secrets: SecretsManagerClient

  beforeAll(async () => {
    fake = await new FakeSecretsManager().start()
    secrets = new SecretsManagerClient({
      region: 'us-east-1',
      endpoint: fake.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    })
  })
  afterAll(async () => {
    secrets.destroy()
    await fake.stop()
  })

  it('reads env alone when no secret is named, with defaults filled in', async () => {
    const env = await loadPullEnv(HubSpotPullEnv, { HUBSPOT_ACCESS_TOKEN: 'pat-1' }, { source: 'hubspot' })
    expect(env).toEqual({ HUBSPOT_ACCESS_TOKEN: 'pat-1', HUBSPOT_REQUESTS_PER_SECOND: 4 })
  })

  it('overlays the secret on env, secret values winning', async () => {
    const arn = fake.put('revops/hubspot', JSON.stringify({ HUBSPOT_ACCESS_TOKEN: 'pat-secret' }))
    const env = await loadPullEnv(
      HubSpotPullEnv,
      { REVOPS_SECRET_ARN: arn, HUBSPOT_ACCESS_TOKEN: 'pat-env', HUBSPOT_REQUESTS_PER_SECOND: '2' },
      { source: 'hubspot', secrets },
    )
    expect(env).toMatchObject({ HUBSPOT_ACCESS_TOKEN: 'pat-secret', HUBSPOT_REQUESTS_PER_SECOND: 2 })
  })

  it('names missing and invalid keys, never their values', async () => {
    await expect(loadPullEnv(StripePullEnv, {}, { source: 'stripe' })).rejects.toThrow(
      'stripe pull settings: STRIPE_API_KEY is not set',
    )
    const bad = loadPullEnv(StripePullEnv, { STRIPE_API_KEY: 'pk_live_secretvalue' }, { source: 'stripe' })
    await expect(bad).rejects.toThrow(/STRIPE_API_KEY: expected a secret \(sk_…\) or restricted \(rk_…\) key/)
    await expect(bad).rejects.not.toThrow(/secretvalue/)
    await expect(
      loadPullEnv(
        SalesforcePullEnv,
        { SALESFORCE_INSTANCE_URL: 'https://acme.my.salesforce.com' },
        { source: 'salesforce' },
      ),
    ).rejects.toThrow(/set SALESFORCE_ACCESS_TOKEN, or SALESFORCE_REFRESH_TOKEN with SALESFORCE_CLIENT_ID/)
  })

  it('refuses a secret that is not a JSON object, and says which secret could not be read', async () => {
    const text = fake.put('revops/plain', 'sk_live_just_a_token')
    await expect(
      loadPullEnv(StripePullEnv, { REVOPS_SECRET_ARN: text }, { source: 'stripe', secrets }),
    ).rejects.toThrow(/must be a JSON object of settings/)
    const missing = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:nope-AbCdEf'
    await expect(
      loadPullEnv(StripePullEnv, { REVOPS_SECRET_ARN: missing }, { source: 'stripe', secrets }),
    ).rejects.toThrow(
      `could not read the secret ${missing}: Secrets Manager can't find the specified secret.`,
    )
  })
})
