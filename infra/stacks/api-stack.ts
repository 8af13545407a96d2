import { CfnOutput, Stack } from 'aws-cdk-lib'
import type { Construct } from 'constructs'
import { MetricApi } from '../constructs/metric-api.js'
import type { ApiStackProps } from './api-stack-props.js'

/** The metric API behind an IAM-authenticated function URL. */
export class ApiStack extends Stack {
  readonly api: MetricApi

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props)
    this.api = new MetricApi(this, 'MetricApi', {
      names: props.names,
      key: props.key,
      workgroup: props.workgroup,
      alarmTopic: props.alarmTopic,
      logRetentionDays: props.config.retention.logDays,
    })
    new CfnOutput(this, 'MetricApiUrl', { value: this.api.url.url })
    new CfnOutput(this, 'MetricApiFunction', { value: this.api.function.function.functionName })
  }
}
