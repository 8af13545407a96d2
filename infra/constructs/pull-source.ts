import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib'
import { Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch'
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations'
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler'
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets'
import { type CfnSecret, Secret } from 'aws-cdk-lib/aws-secretsmanager'
import { Construct } from 'constructs'
import { INGEST_METRICS, OPS_NAMESPACE, SOURCE_DIMENSION } from '../../core/config/ops-metrics.js'
import { LakeArns } from '../lake-arns.js'
import { grantLakeKey, grantList, grantObjects, landingPrefixes, pullStatePrefixes } from '../lake-grants.js'
import { acknowledgeWildcards, allow } from '../scoped-policy.js'
import { DeadLetterQueue } from './dead-letter-queue.js'
import { OpsAlarm } from './ops-alarm.js'
import type { PullSourceProps } from './pull-source-props.js'
import { RevopsFunction } from './revops-function.js'

/** A pull stops starting pages 90 s before this (PULL_STOP_MARGIN_SECONDS) and continues next run. */
export const PULL_TIMEOUT = Duration.minutes(15)

/**
 * The ingestion of one pulled source: its token secret (created empty: filled once by hand,
 * never by a deploy), its pull function (handlers/pull-<source>) writing only that source's
 * keys of the raw bucket, the schedule that invokes it, a dead-letter queue for failed runs and
 * undeliverable invocations, and alarms on errors, dead letters and watermark lag.
 */
export class PullSource extends Construct {
  readonly function: RevopsFunction
  readonly secret: Secret
  readonly deadLetters: DeadLetterQueue
  readonly schedule: Schedule

  constructor(scope: Construct, id: string, props: PullSourceProps) {
    super(scope, id)
    const { source, names } = props
    const name = names.resource(`pull-${source}`)
    const arns = new LakeArns(this, names)

    this.secret = new Secret(this, 'Secret', {
      secretName: names.secret(source),
      description: `${source} pull settings and tokens: a JSON object of env-style keys, e.g. {"STRIPE_API_KEY": "rk_live_…"} (README: Deploy).`,
      removalPolicy: props.secretRemovalPolicy,
    })
    // No value at all (CloudFormation creates an empty secret): the CDK default would generate a
    // password, and a value in the template would be written back on every deploy.
    ;(this.secret.node.defaultChild as CfnSecret).addPropertyDeletionOverride('GenerateSecretString')
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason:
        'The secret holds vendor API tokens (Stripe, HubSpot, Salesforce, ad platforms) that only the vendor can ' +
        'issue; they are rotated in the vendor console and put here, so Secrets Manager has no rotation to run.',
    })

    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', { holds: `the ${source} pull` })
    this.function = new RevopsFunction(this, 'Pull', {
      handler: `pull-${source.replaceAll('_', '-')}`,
      functionName: name,
      description: `Pulls ${source} into the raw bucket (incremental from the watermarks)`,
      timeout: PULL_TIMEOUT,
      memorySize: 1024,
      logRetentionDays: props.logRetentionDays,
      environment: {
        RAW_BUCKET: names.bucket(this, 'raw'),
        RAW_PREFIX: '',
        REVOPS_SECRET_ARN: this.secret.secretArn,
      },
    })
    const role = this.function.role
    allow(role, { actions: ['secretsmanager:GetSecretValue'], resources: [this.secret.secretArn] })
    grantObjects(
      role,
      arns,
      'raw',
      [...landingPrefixes(source), ...pullStatePrefixes(source)],
      ['s3:GetObject', 's3:PutObject'],
      `Only ${source}'s keys of the lake: objects are named by content and window at run time.`,
    )
    grantList(role, arns, 'raw')
    grantLakeKey(role, props.key, 'read-write')
    // A failed pull has already retried its requests: straight to the dead letters (and the
    // alarm); the next scheduled run resumes from the checkpoints either way.
    this.function.function.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: Duration.hours(1),
      onFailure: new SqsDestination(this.deadLetters),
    })

    // The schedule's own role (else the CDK makes one per stack and target, outside this construct).
    const scheduleRole = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `${name} schedule: invokes the pull, writes its dead letters`,
    })
    this.schedule = new Schedule(this, 'Schedule', {
      scheduleName: name,
      description: `Starts the ${source} pull`,
      schedule: ScheduleExpression.expression(props.schedule, TimeZone.of(props.timezone)),
      target: new LambdaInvoke(this.function.function, {
        role: scheduleRole,
        input: ScheduleTargetInput.fromObject({}),
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: this.deadLetters,
      }),
    })

    // The CDK grants invoke on the function and on its versions and aliases (`<arn>:*`).
    acknowledgeWildcards(
      scheduleRole,
      [`${this.function.function.functionArn}:*`],
      `The versions and aliases of the ${name} function only, as the CDK grants invoke.`,
    )

    const topic = props.alarmTopic
    new OpsAlarm(this, 'Errors', {
      alarmName: `${name}-errors`,
      description: `The ${source} pull failed (its log says why; the watermarks did not move).`,
      metric: this.function.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      topic,
    })
    new OpsAlarm(this, 'DeadLettersWaiting', {
      alarmName: `${name}-dead-letters`,
      description: `A ${source} pull run failed or could not be started: its event and error are in the dead-letter queue.`,
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      topic,
    })
    new OpsAlarm(this, 'WatermarkLag', {
      alarmName: `${name}-watermark-lag`,
      description:
        `${source} data in the lake is more than ${props.lagAlarmMinutes} minutes behind, or no ${source} ` +
        'pull has reported for that long.',
      metric: new Metric({
        namespace: OPS_NAMESPACE,
        metricName: INGEST_METRICS.watermarkLag,
        dimensionsMap: { [SOURCE_DIMENSION]: source },
        statistic: 'Maximum',
        period: Duration.minutes(props.lagAlarmMinutes),
      }),
      threshold: props.lagAlarmMinutes * 60,
      // Silence is a failure too: a pull that stopped running writes no lag at all.
      treatMissingData: TreatMissingData.BREACHING,
      topic,
    })
  }
}
