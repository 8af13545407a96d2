import { Template } from 'aws-cdk-lib/assertions'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SynthesizedApp, synthRevopsApp } from '../synth-app.js'
import { actionsOf, type Json, render, resourcesFor, resourceWhere, statementsOf } from '../template-json.js'

const RAW = 'arn:aws:s3:::revops-raw-123456789012-eu-west-1'
const LANDING = 'arn:aws:s3:::revops-landing-123456789012-eu-west-1'
const PULLED = ['ads', 'salesforce', 'stripe']
const ENABLED = ['ads', 'finance', 'salesforce', 'stripe']

let synthesized: SynthesizedApp
let template: Template

beforeAll(() => {
  // HubSpot off, Stripe every 30 minutes in Berlin time: the stack follows the configuration.
  synthesized = synthRevopsApp({
    scheduleTimezone: 'Europe/Berlin',
    sources: { hubspot: { enabled: false }, stripe: { schedule: 'rate(30 minutes)', lagAlarmMinutes: 120 } },
  })
  template = Template.fromStack(synthesized.stacks.ingest)
})
afterAll(() => synthesized?.cleanup())

const fn = (name: string) =>
  resourceWhere(template, 'AWS::Lambda::Function', (p) => p.FunctionName === `revops-${name}`)
const queueIdOf = (owner: string) => {
  const ids = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) => id.startsWith(owner))
  if (ids.length !== 1) throw new Error(`expected one queue of ${owner}`)
  return ids[0] as string
}
const alarm = (name: string) =>
  resourceWhere(template, 'AWS::CloudWatch::Alarm', (p) => p.AlarmName === name).properties

describe('IngestStack', () => {
  it('has one pull function per enabled source with a schedule, and the file-drop function', () => {
    const names = (Object.values(template.findResources('AWS::Lambda::Function')) as Json[])
      .map((f) => f.Properties.FunctionName)
      .sort()
    expect(names).toEqual(['revops-file-drop', ...PULLED.map((s) => `revops-pull-${s}`)])
  })

  it('runs every function on Node.js 22 (pinned, not the newest), arm64, with its own log group', () => {
    for (const name of ['file-drop', ...PULLED.map((s) => `pull-${s}`)]) {
      const { properties } = fn(name)
      expect(properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: 900,
      })
      expect(render(properties.LoggingConfig.LogGroup)).toMatch(/^<.*Logs.*>$/)
    }
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup')) as Json[]) {
      expect(group.Properties.RetentionInDays).toBe(30)
    }
  })

  it('schedules each pull from the configuration, in its time zone, with retries and dead letters', () => {
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')) as Json[]
    expect(schedules.map((s) => s.Properties.Name).sort()).toEqual(PULLED.map((s) => `revops-pull-${s}`))
    for (const source of PULLED) {
      const s = resourceWhere(
        template,
        'AWS::Scheduler::Schedule',
        (p) => p.Name === `revops-pull-${source}`,
      ).properties
      expect(s.ScheduleExpression).toBe(
        { ads: 'cron(0 6 * * ? *)', salesforce: 'cron(0 * * * ? *)', stripe: 'rate(30 minutes)' }[source],
      )
      expect(s.ScheduleExpressionTimezone).toBe('Europe/Berlin')
      expect(s.State).toBe('ENABLED')
      expect(s.FlexibleTimeWindow).toEqual({ Mode: 'OFF' })
      expect(render(s.Target.Arn)).toBe(`<${fn(`pull-${source}`).id}.Arn>`)
      expect(s.Target.Input).toBe('{}')
      expect(s.Target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 2 })
      expect(render(s.Target.DeadLetterConfig.Arn)).toBe(`<${queueIdOf(`Pull${source}DeadLetters`)}.Arn>`)
    }
  })

  it('sends failed runs to an encrypted, TLS-only dead-letter queue per function, kept 14 days', () => {
    const queues = Object.values(template.findResources('AWS::SQS::Queue')) as Json[]
    expect(queues).toHaveLength(PULLED.length + 1)
    for (const queue of queues) {
      expect(queue.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 1_209_600,
      })
    }
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')) as Json[]
    expect(policies).toHaveLength(queues.length)
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      )
    }
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')) as Json[]
    const byFunction = Object.fromEntries(
      configs.map((c) => [render(c.Properties.FunctionName), c.Properties]),
    )
    for (const source of PULLED) {
      // A failed pull has retried its requests already: no blind rerun, straight to the queue.
      expect(byFunction[`<${fn(`pull-${source}`).id}>`]).toMatchObject({ MaximumRetryAttempts: 0 })
      expect(render(byFunction[`<${fn(`pull-${source}`).id}>`].DestinationConfig.OnFailure.Destination)).toBe(
        `<${queueIdOf(`Pull${source}DeadLetters`)}.Arn>`,
      )
    }
    expect(byFunction[`<${fn('file-drop').id}>`]).toMatchObject({ MaximumRetryAttempts: 2 })
  })

  it('creates an empty secret per pulled source, which only that pull may read', () => {
    const secrets = template.findResources('AWS::SecretsManager::Secret') as Record<string, Json>
    expect(
      Object.values(secrets)
        .map((s) => s.Properties.Name)
        .sort(),
    ).toEqual(PULLED.map((s) => `revops/${s}`))
    for (const [id, secret] of Object.entries(secrets)) {
      expect(secret.Properties.SecretString).toBeUndefined()
      expect(secret.Properties.GenerateSecretString).toBeUndefined()
      expect(secret.DeletionPolicy).toBe('Retain')
      const source = (secret.Properties.Name as string).split('/')[1] as string
      expect(fn(`pull-${source}`).properties.Environment.Variables.REVOPS_SECRET_ARN).toEqual({ Ref: id })
      for (const other of PULLED) {
        const readable = resourcesFor(
          statementsOf(template, `Pull${other}PullRole`),
          'secretsmanager:GetSecretValue',
        )
        expect(readable.includes(`<${id}>`)).toBe(other === source)
      }
    }
  })

  it('lets a pull read and write only its own source keys of the raw bucket, and nothing else', () => {
    const statements = statementsOf(template, 'PullstripePullRole')
    expect(actionsOf(statements)).toEqual([
      'kms:Decrypt',
      'kms:GenerateDataKey',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:GetBucketLocation',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
      'secretsmanager:GetSecretValue',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
    ])
    const objects = [
      'quarantine/source=stripe/*',
      'raw/source=stripe/*',
      'state/landed/quarantine/source=stripe/*',
      'state/landed/raw/source=stripe/*',
      'state/pull/stripe/*',
      'state/stripe/*',
    ].map((key) => `${RAW}/${key}`)
    expect(resourcesFor(statements, 's3:PutObject')).toEqual(objects)
    expect(resourcesFor(statements, 's3:GetObject')).toEqual(objects)
    expect(resourcesFor(statements, 's3:ListBucket')).toEqual([RAW])
    const kms = statements.find((s) => s.actions.includes('kms:GenerateDataKey'))
    expect(kms?.resources).toEqual(['<revops-storage:PublishOutputFnGetAttLakeKey6AC6EFDDArn87B7EC3C>'])
    expect(kms?.condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } })
    for (const statement of statements) expect(statement.resources).not.toContain('*')
  })

  it('lets the file-drop function read drops and write only the enabled sources into raw', () => {
    const statements = statementsOf(template, 'FileDropRole')
    expect(resourcesFor(statements, 's3:GetObjectVersion')).toEqual([`${LANDING}/landing/*`])
    const written = resourcesFor(statements, 's3:PutObject')
    expect(written).toHaveLength(ENABLED.length * 4)
    expect(written.filter((r) => r.includes('hubspot'))).toEqual([])
    expect(written).toContain(`${RAW}/raw/source=finance/*`)
    expect(written.some((r) => r.includes('/state/finance') || r.includes('/state/pull/'))).toBe(false)
    expect(resourcesFor(statements, 's3:ListBucket')).toEqual([LANDING, RAW])
  })

  it('passes files created under landing/ of the landing bucket to the file-drop function', () => {
    const rule = resourceWhere(template, 'AWS::Events::Rule', (p) => p.Name === 'revops-file-drop').properties
    expect(rule.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        bucket: { name: ['revops-landing-123456789012-eu-west-1'] },
        object: { key: [{ prefix: 'landing/' }] },
      },
    })
    const [target] = rule.Targets as Json[]
    expect(render(target.Arn)).toBe(`<${fn('file-drop').id}.Arn>`)
    expect(render(target.DeadLetterConfig.Arn)).toBe(`<${queueIdOf('FileDropDeadLetters')}.Arn>`)
    expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 21600, MaximumRetryAttempts: 8 })
  })

  it('alarms on errors, dead letters and watermark lag of each pull, and on quarantine per source', () => {
    const names = (Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Json[])
      .map((a) => a.Properties.AlarmName)
      .sort()
    expect(names).toEqual(
      [
        'revops-file-drop-dead-letters',
        'revops-file-drop-errors',
        ...ENABLED.map((s) => `revops-${s}-quarantined`),
        ...PULLED.flatMap((s) => [
          `revops-pull-${s}-dead-letters`,
          `revops-pull-${s}-errors`,
          `revops-pull-${s}-watermark-lag`,
        ]),
      ].sort(),
    )
    expect(alarm('revops-pull-stripe-errors')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    })
    expect(alarm('revops-pull-stripe-dead-letters')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
    })
    // 2 hours for Stripe (configured), 3 days for ads; no report for that long counts as late.
    expect(alarm('revops-pull-stripe-watermark-lag')).toMatchObject({
      Namespace: 'revops',
      MetricName: 'WatermarkLagSeconds',
      Dimensions: [{ Name: 'Source', Value: 'stripe' }],
      Statistic: 'Maximum',
      Period: 7200,
      Threshold: 7200,
      TreatMissingData: 'breaching',
    })
    expect(alarm('revops-pull-ads-watermark-lag')).toMatchObject({ Period: 259_200, Threshold: 259_200 })
    expect(alarm('revops-finance-quarantined')).toMatchObject({
      Namespace: 'revops',
      MetricName: 'Quarantined',
      Dimensions: [{ Name: 'Source', Value: 'finance' }],
      Statistic: 'Sum',
      Period: 3600,
    })
    for (const a of Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Json[]) {
      expect(render(a.Properties.AlarmActions)).toMatch(/^<revops-alerts:.*AlarmsTopic.*>$/)
      expect(render(a.Properties.OKActions)).toBe(render(a.Properties.AlarmActions))
    }
  })

  it('lets each schedule invoke only its own pull and write its own dead letters', () => {
    const statements = statementsOf(template, 'PullstripeScheduleRole')
    const pull = fn('pull-stripe').id
    expect(resourcesFor(statements, 'lambda:InvokeFunction')).toEqual([`<${pull}.Arn>`, `<${pull}.Arn>:*`])
    expect(resourcesFor(statements, 'sqs:SendMessage')).toEqual([
      `<${queueIdOf('PullstripeDeadLetters')}.Arn>`,
    ])
    const trust = (Object.entries(template.findResources('AWS::IAM::Role')) as [string, Json][]).find(
      ([id]) => id.startsWith('PullstripeScheduleRole'),
    )?.[1].Properties.AssumeRolePolicyDocument.Statement[0]
    expect(trust).toMatchObject({
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
    })
  })
})
