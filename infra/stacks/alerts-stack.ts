import { CfnOutput, Stack } from 'aws-cdk-lib'
import type { ITopic } from 'aws-cdk-lib/aws-sns'
import type { Construct } from 'constructs'
import { AlarmTopic } from '../constructs/alarm-topic.js'
import type { AlertsStackProps } from './alerts-stack-props.js'

/** The alarm topic the ingestion, transform and API alarms notify. */
export class AlertsStack extends Stack {
  readonly topic: ITopic

  constructor(scope: Construct, id: string, props: AlertsStackProps) {
    super(scope, id, props)
    this.topic = new AlarmTopic(this, 'Alarms', {
      topicName: props.names.resource('alarms'),
      email: props.config.alarmEmail,
    }).topic
    new CfnOutput(this, 'AlarmTopicArn', { value: this.topic.topicArn })
  }
}
