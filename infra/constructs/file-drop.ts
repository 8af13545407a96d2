import { Duration } from 'aws-cdk-lib'
import { Rule } from 'aws-cdk-lib/aws-events'
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets'
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations'
import { Construct } from 'constructs'
import { LakeArns } from '../lake-arns.js'
import { grantLakeKey, grantList, grantObjects, landingPrefixes } from '../lake-grants.js'
import { DeadLetterQueue } from './dead-letter-queue.js'
import type { FileDropProps } from './file-drop-props.js'
import { OpsAlarm } from './ops-alarm.js'
import { RevopsFunction } from './revops-function.js'

/**
 * Lands files dropped into the landing bucket (`landing/<source>/<file>`): the landing bucket
 * sends "Object Created" to EventBridge (lake-bucket.ts), a rule passes each drop under the
 * prefix to the file-drop function, which lands it into the raw bucket. Redelivery lands
 * nothing twice, so failures are retried; what still fails goes to the dead-letter queue.
 */
export class FileDrop extends Construct {
  readonly function: RevopsFunction
  readonly deadLetters: DeadLetterQueue
  readonly rule: Rule

  constructor(scope: Construct, id: string, props: FileDropProps) {
    super(scope, id)
    const { names } = props
    const name = names.resource('file-drop')
    const arns = new LakeArns(this, names)
    const landingBucket = names.bucket(this, 'landing')

    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', { holds: 'the file-drop function' })
    this.function = new RevopsFunction(this, 'FileDrop', {
      handler: 'file-drop',
      functionName: name,
      description: 'Lands files dropped into the landing bucket into the raw bucket',
      timeout: Duration.minutes(15),
      memorySize: 1024,
      logRetentionDays: props.logRetentionDays,
      environment: {
        RAW_BUCKET: names.bucket(this, 'raw'),
        RAW_PREFIX: '',
        LANDING_PREFIX: props.landingPrefix,
      },
    })
    const role = this.function.role
    grantObjects(
      role,
      arns,
      'landing',
      [props.landingPrefix],
      // The event names the object version that was dropped; reading it by id needs GetObjectVersion.
      ['s3:GetObject', 's3:GetObjectVersion'],
      'Dropped files have any name their sender gives them; only the drop prefix.',
    )
    grantList(role, arns, 'landing')
    grantObjects(
      role,
      arns,
      'raw',
      props.sources.flatMap(landingPrefixes),
      ['s3:GetObject', 's3:PutObject'],
      "Only the enabled sources' raw, quarantine and first-landing keys: objects are named by content at run time.",
    )
    grantList(role, arns, 'raw')
    grantLakeKey(role, props.key, 'read-write')
    this.function.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetters),
    })

    this.rule = new Rule(this, 'Dropped', {
      ruleName: name,
      description: `Files created under ${props.landingPrefix} of the landing bucket`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [landingBucket] },
          object: { key: [{ prefix: props.landingPrefix }] },
        },
      },
      targets: [
        new LambdaFunction(this.function.function, {
          deadLetterQueue: this.deadLetters,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    })

    new OpsAlarm(this, 'Errors', {
      alarmName: `${name}-errors`,
      description: 'A dropped file could not be landed (its log says which and why); it is retried twice.',
      metric: this.function.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      topic: props.alarmTopic,
    })
    new OpsAlarm(this, 'DeadLettersWaiting', {
      alarmName: `${name}-dead-letters`,
      description:
        'A dropped file was not landed after its retries: the event and error are in the dead-letter queue.',
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      topic: props.alarmTopic,
    })
  }
}
