import type { StackProps } from 'aws-cdk-lib'
import type { IKey } from 'aws-cdk-lib/aws-kms'
import type { ITopic } from 'aws-cdk-lib/aws-sns'
import type { RevopsConfig } from '../config-schema.js'
import type { ResourceNames } from '../resource-names.js'

export interface ApiStackProps extends StackProps {
  readonly config: RevopsConfig
  readonly names: ResourceNames
  readonly key: IKey
  /** The BI workgroup (query stack). */
  readonly workgroup: string
  readonly alarmTopic: ITopic
}
