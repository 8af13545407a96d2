import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App } from 'aws-cdk-lib'
import { Match, Template } from 'aws-cdk-lib/assertions'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../infra/config.js'
import { ResourceNames } from '../../../infra/resource-names.js'
import { StorageStack } from '../../../infra/stacks/storage-stack.js'
import { cdkJsonContext, type SynthesizedApp, synthRevopsApp, TEST_ENV } from '../synth-app.js'

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation template JSON, checked by the assertions
type Json = any
type Resource = { Type: string; Properties: Json; DeletionPolicy?: string }

const PURPOSES = ['landing', 'raw', 'warehouse', 'athena-results', 'access-logs'] as const
const LAKE = ['landing', 'raw', 'warehouse', 'athena-results'] as const

let synthesized: SynthesizedApp
let template: Template
let buckets: Record<string, { id: string; resource: Resource }>

beforeAll(() => {
  synthesized = synthRevopsApp()
  template = Template.fromStack(synthesized.stacks.storage)
  const all = template.findResources('AWS::S3::Bucket') as Record<string, Resource>
  buckets = {}
  for (const purpose of PURPOSES) {
    const name = `revops-${purpose}-${TEST_ENV.CDK_DEFAULT_ACCOUNT}-${TEST_ENV.CDK_DEFAULT_REGION}`
    const found = Object.entries(all).find(([, r]) => r.Properties.BucketName === name)
    if (!found) throw new Error(`no bucket named ${name}`)
    buckets[purpose] = { id: found[0], resource: found[1] }
  }
})
afterAll(() => synthesized?.cleanup())

function bucket(purpose: string): Resource {
  const entry = buckets[purpose]
  if (!entry) throw new Error(`no bucket ${purpose}`)
  return entry.resource
}

function rules(purpose: string): Json[] {
  return bucket(purpose).Properties.LifecycleConfiguration.Rules
}

describe('StorageStack', () => {
  it('has one key and five buckets', () => {
    template.resourceCountIs('AWS::KMS::Key', 1)
    template.resourceCountIs('AWS::S3::Bucket', 5)
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/revops-lake' })
  })

  it('encrypts the lake buckets with the rotated customer-managed key, with a Bucket Key', () => {
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0]
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true })
    for (const purpose of LAKE) {
      expect(bucket(purpose).Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
          },
        },
      ])
    }
  })

  it('encrypts the access-logs bucket with SSE-S3, which log delivery can write to', () => {
    expect(bucket('access-logs').Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
    ])
  })

  it('blocks public access and disables ACLs on every bucket', () => {
    for (const purpose of PURPOSES) {
      expect(bucket(purpose).Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      })
      expect(bucket(purpose).Properties.OwnershipControls).toEqual({
        Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
      })
    }
  })

  it('denies plain HTTP and TLS below 1.2 on every bucket', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as Resource[]
    for (const purpose of PURPOSES) {
      const id = buckets[purpose]?.id
      const policy = policies.find((p) => p.Properties.Bucket?.Ref === id)
      expect(policy, purpose).toBeDefined()
      const statements = policy?.Properties.PolicyDocument.Statement as Json[]
      const denies = statements.filter(
        (s) => s.Effect === 'Deny' && s.Action === 's3:*' && s.Principal?.AWS === '*',
      )
      expect(denies.map((s) => s.Condition)).toEqual(
        expect.arrayContaining([
          { Bool: { 'aws:SecureTransport': 'false' } },
          { NumericLessThan: { 's3:TlsVersion': 1.2 } },
        ]),
      )
    }
  })

  it('versions the landing and raw buckets only', () => {
    expect(bucket('landing').Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' })
    expect(bucket('raw').Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' })
    for (const purpose of ['warehouse', 'athena-results', 'access-logs']) {
      expect(bucket(purpose).Properties.VersioningConfiguration, purpose).toBeUndefined()
    }
  })

  it('logs every lake bucket to the access-logs bucket under its own prefix', () => {
    const logsId = buckets['access-logs']?.id
    for (const purpose of LAKE) {
      expect(bucket(purpose).Properties.LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: logsId },
        LogFilePrefix: `${purpose}/`,
      })
    }
    expect(bucket('access-logs').Properties.LoggingConfiguration).toBeUndefined()
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logsId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:PutObject',
            Principal: { Service: 'logging.s3.amazonaws.com' },
          }),
        ]),
      },
    })
  })

  it('moves raw to Intelligent-Tiering at most, never to a class or tier Athena cannot read', () => {
    const transitions = rules('raw').flatMap((r) => [
      ...(r.Transitions ?? []),
      ...(r.NoncurrentVersionTransitions ?? []),
    ])
    expect(transitions).toEqual([{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 30 }])
    const storageJson = JSON.stringify(template.toJSON())
    expect(storageJson).not.toMatch(/GLACIER|DEEP_ARCHIVE|ARCHIVE_ACCESS/)
    for (const purpose of PURPOSES) {
      expect(bucket(purpose).Properties.IntelligentTieringConfigurations, purpose).toBeUndefined()
    }
  })

  it('expires Athena results, quarantine, old versions and access logs', () => {
    const retention = synthesized.config.retention
    expect(rules('athena-results')).toContainEqual(
      expect.objectContaining({ ExpirationInDays: retention.athenaResultsDays, Status: 'Enabled' }),
    )
    const quarantine = rules('raw').find((r) => r.Prefix === 'quarantine/')
    expect(quarantine).toMatchObject({ ExpirationInDays: retention.quarantineDays, Status: 'Enabled' })
    // Only quarantine expires in raw: landed data is kept.
    expect(rules('raw').filter((r) => r.ExpirationInDays !== undefined)).toEqual([quarantine])
    for (const purpose of ['landing', 'raw']) {
      expect(rules(purpose)).toContainEqual(
        expect.objectContaining({
          NoncurrentVersionExpiration: { NoncurrentDays: retention.noncurrentVersionDays },
        }),
      )
    }
    expect(rules('access-logs')).toContainEqual(
      expect.objectContaining({ ExpirationInDays: retention.accessLogsDays }),
    )
  })

  it('aborts incomplete multipart uploads in every bucket', () => {
    for (const purpose of PURPOSES) {
      expect(rules(purpose), purpose).toContainEqual(
        expect.objectContaining({
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          Status: 'Enabled',
        }),
      )
    }
  })

  it('retains the key and buckets and protects the stack from deletion by default', () => {
    for (const purpose of PURPOSES) expect(bucket(purpose).DeletionPolicy, purpose).toBe('Retain')
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' })
    expect(synthesized.stacks.storage.terminationProtection).toBe(true)
  })

  it('sends landing events to EventBridge from the bucket itself, with no custom resource', () => {
    expect(bucket('landing').Properties.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    })
    const types = Object.values(template.toJSON().Resources as Record<string, Resource>).map((r) => r.Type)
    expect(types.filter((t) => t.startsWith('Custom::') || t === 'AWS::Lambda::Function')).toEqual([])
  })
})

describe('StorageStack with removalPolicy destroy and its own retention', () => {
  it('deletes the key and buckets with the stack and follows the configured days', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'revops-cdk-'))
    try {
      const config = loadConfig(
        {
          namePrefix: 'acme-data',
          removalPolicy: 'destroy',
          retention: { athenaResultsDays: 7, quarantineDays: 14 },
        },
        TEST_ENV,
      )
      const app = new App({ outdir, context: cdkJsonContext(), analyticsReporting: false })
      const stack = new StorageStack(app, 'Storage', {
        config,
        names: new ResourceNames(config.namePrefix),
        env: { account: config.account, region: config.region },
      })
      const destroyed = Template.fromStack(stack)
      destroyed.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' })
      const all = Object.values(destroyed.findResources('AWS::S3::Bucket')) as Resource[]
      expect(all.map((b) => b.DeletionPolicy)).toEqual(['Delete', 'Delete', 'Delete', 'Delete', 'Delete'])
      const results = all.find(
        (b) => b.Properties.BucketName === 'acme-data-athena-results-123456789012-eu-west-1',
      )
      expect(results?.Properties.LifecycleConfiguration.Rules).toContainEqual(
        expect.objectContaining({ ExpirationInDays: 7 }),
      )
      destroyed.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([Match.objectLike({ Prefix: 'quarantine/', ExpirationInDays: 14 })]),
        },
      })
    } finally {
      rmSync(outdir, { recursive: true, force: true })
    }
  })
})
