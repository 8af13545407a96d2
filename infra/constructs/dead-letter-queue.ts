import { Duration, Validations } from 'aws-cdk-lib'
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs'
import type { Construct } from 'constructs'
import type { DeadLetterQueueProps } from './dead-letter-queue-props.js'

/**
 * Where failed invocations of a function end up, with the event and the error (Lambda failure
 * destinations, EventBridge and Scheduler dead-letter targets): encrypted, TLS only, kept 14
 * days, the longest SQS allows. Its alarm fires on the first message.
 */
export class DeadLetterQueue extends Queue {
  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    })
    Validations.of(this).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: `This queue is itself the dead-letter queue of ${props.holds}; nothing consumes it, its alarm calls a person.`,
    })
  }
}
