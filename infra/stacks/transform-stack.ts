import { CfnOutput, Stack } from 'aws-cdk-lib'
import type { Construct } from 'constructs'
import { BuildPipeline } from '../constructs/build-pipeline.js'
import type { TransformStackProps } from './transform-stack-props.js'

/** The build of the models on Athena and the governed views after it (constructs/build-pipeline.ts). */
export class TransformStack extends Stack {
  readonly pipeline: BuildPipeline

  constructor(scope: Construct, id: string, props: TransformStackProps) {
    super(scope, id, props)
    const { config } = props
    this.pipeline = new BuildPipeline(this, 'Build', {
      names: props.names,
      key: props.key,
      workgroup: props.workgroup,
      schedule: config.transform.schedule,
      timezone: config.scheduleTimezone,
      revenuePolicy: config.transform.revenuePolicy,
      alarmTopic: props.alarmTopic,
      logRetentionDays: config.retention.logDays,
    })
    new CfnOutput(this, 'BuildStateMachineArn', { value: this.pipeline.stateMachine.stateMachineArn })
  }
}
