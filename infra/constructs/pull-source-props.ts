import type { RemovalPolicy } from 'aws-cdk-lib'
import type { IKey } from 'aws-cdk-lib/aws-kms'
import type { ITopic } from 'aws-cdk-lib/aws-sns'
import type { ResourceNames } from '../resource-names.js'

export interface PullSourceProps {
  /** The source (`stripe`); its handler is `handlers/pull-<source>/`. */
  readonly source: string
  /** EventBridge Scheduler expression, `rate(...)` or `cron(...)`. */
  readonly schedule: string
  /** IANA time zone of a cron schedule. */
  readonly timezone: string
  /** The watermark lag alarm's threshold. */
  readonly lagAlarmMinutes: number
  readonly names: ResourceNames
  /** The lake key (SSE-KMS of the raw bucket). */
  readonly key: IKey
  readonly alarmTopic: ITopic
  readonly logRetentionDays: number
  /** Of the source's secret (retain: a deleted stack keeps the tokens). */
  readonly secretRemovalPolicy: RemovalPolicy
}
