import type { IKey } from 'aws-cdk-lib/aws-kms'
import type { ITopic } from 'aws-cdk-lib/aws-sns'
import type { ResourceNames } from '../resource-names.js'

export interface MetricApiProps {
  readonly names: ResourceNames
  /** Athena results are written encrypted with it; warehouse objects are read with it. */
  readonly key: IKey
  /** Athena workgroup of the API's queries (`revops-bi`). */
  readonly workgroup: string
  readonly alarmTopic: ITopic
  readonly logRetentionDays: number
}
