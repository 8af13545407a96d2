import { CfnOutput, Duration, Stack } from 'aws-cdk-lib'
import { Metric } from 'aws-cdk-lib/aws-cloudwatch'
import type { Construct } from 'constructs'
import { INGEST_METRICS, OPS_NAMESPACE, SOURCE_DIMENSION } from '../../core/config/ops-metrics.js'
import { FileDrop } from '../constructs/file-drop.js'
import { OpsAlarm } from '../constructs/ops-alarm.js'
import { PullSource } from '../constructs/pull-source.js'
import { removalPolicy } from '../removal-policy.js'
import type { IngestStackProps } from './ingest-stack-props.js'

/** Where drops go in the landing bucket (handlers/file-drop: `LANDING_PREFIX`). */
export const LANDING_PREFIX = 'landing/'

/**
 * Ingestion: a pull (secret, function, schedule, dead letters, alarms) per enabled source with a
 * schedule, the file-drop function for every enabled source, and per source an alarm on
 * quarantined records, whichever way they arrived.
 */
export class IngestStack extends Stack {
  readonly pulls: readonly PullSource[]
  readonly fileDrop: FileDrop | undefined

  constructor(scope: Construct, id: string, props: IngestStackProps) {
    super(scope, id, props)
    const { config, names } = props
    const enabled = Object.entries(config.sources).filter(([, source]) => source.enabled)
    const pulls: PullSource[] = []
    for (const [source, sourceConfig] of enabled) {
      new OpsAlarm(this, `Quarantined-${source}`, {
        alarmName: names.resource(`${source}-quarantined`),
        description:
          `${source} records failed their contract and went to quarantine/source=${source}/ ` +
          '(`revops land` and the function logs print the reasons).',
        metric: new Metric({
          namespace: OPS_NAMESPACE,
          metricName: INGEST_METRICS.quarantined,
          dimensionsMap: { [SOURCE_DIMENSION]: source },
          statistic: 'Sum',
          period: Duration.hours(1),
        }),
        topic: props.alarmTopic,
      })
      if (sourceConfig.schedule === null) continue
      const lag = sourceConfig.lagAlarmMinutes
      if (lag === undefined || lag === null) throw new Error(`sources.${source}.lagAlarmMinutes is not set`)
      const pull = new PullSource(this, `Pull-${source}`, {
        source,
        schedule: sourceConfig.schedule,
        timezone: config.scheduleTimezone,
        lagAlarmMinutes: lag,
        names,
        key: props.key,
        alarmTopic: props.alarmTopic,
        logRetentionDays: config.retention.logDays,
        secretRemovalPolicy: removalPolicy(config),
      })
      pulls.push(pull)
      new CfnOutput(this, `SecretOf-${source}`, { value: pull.secret.secretName })
    }
    this.pulls = pulls
    this.fileDrop =
      enabled.length === 0
        ? undefined
        : new FileDrop(this, 'FileDrop', {
            sources: enabled.map(([source]) => source),
            landingPrefix: LANDING_PREFIX,
            names,
            key: props.key,
            alarmTopic: props.alarmTopic,
            logRetentionDays: config.retention.logDays,
          })
  }
}
