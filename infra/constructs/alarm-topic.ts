import { Validations } from 'aws-cdk-lib'
import { Topic } from 'aws-cdk-lib/aws-sns'
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions'
import { Construct } from 'constructs'
import type { AlarmTopicProps } from './alarm-topic-props.js'

/**
 * The topic every revops alarm notifies, when it fires and when it clears. Subscribe email,
 * chat or paging to it; `alarmEmail` in the configuration subscribes one address.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id)
    this.topic = new Topic(this, 'Topic', {
      topicName: props.topicName,
      displayName: 'revops alarms',
      enforceSSL: true,
    })
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email))
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SNS2',
      reason:
        'Notifications hold alarm names, states and thresholds, no data. CloudWatch cannot publish to a topic ' +
        'under the AWS-managed SNS key, and a customer key for notifications alone would cost more than it protects.',
    })
  }
}
