import type { IKey } from 'aws-cdk-lib/aws-kms'
import type { ITopic } from 'aws-cdk-lib/aws-sns'
import type { ResourceNames } from '../resource-names.js'

export interface BuildPipelineProps {
  readonly names: ResourceNames
  /** The lake key: raw and warehouse objects and Athena results are encrypted with it. */
  readonly key: IKey
  /** Athena workgroup the builds run in (`revops-etl`). */
  readonly workgroup: string
  /** EventBridge Scheduler expression that starts a build; null: started by hand only. */
  readonly schedule: string | null
  readonly timezone: string
  /** `REVOPS_POLICY` of the build (a preset label); null for the project's own choice. */
  readonly revenuePolicy: string | null
  readonly alarmTopic: ITopic
  readonly logRetentionDays: number
}
