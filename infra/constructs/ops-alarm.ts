import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch'
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions'
import type { Construct } from 'constructs'
import type { OpsAlarmProps } from './ops-alarm-props.js'

/**
 * An alarm on one metric that fires when it goes above its threshold for one period, and tells
 * the alarm topic when it fires and when it clears.
 */
export class OpsAlarm extends Alarm {
  constructor(scope: Construct, id: string, props: OpsAlarmProps) {
    super(scope, id, {
      alarmName: props.alarmName,
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold ?? 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: props.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    })
    const action = new SnsAction(props.topic)
    this.addAlarmAction(action)
    this.addOkAction(action)
  }
}
