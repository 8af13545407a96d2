import type { StackProps } from 'aws-cdk-lib'
import type { IKey } from 'aws-cdk-lib/aws-kms'
import type { ITopic } from 'aws-cdk-lib/aws-sns'
import type { RevopsConfig } from '../config-schema.js'
import type { ResourceNames } from '../resource-names.js'

export interface IngestStackProps extends StackProps {
  readonly config: RevopsConfig
  readonly names: ResourceNames
  /** The lake key (storage stack). */
  readonly key: IKey
  readonly alarmTopic: ITopic
}
