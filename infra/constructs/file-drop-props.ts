import type { IKey } from 'aws-cdk-lib/aws-kms'
import type { ITopic } from 'aws-cdk-lib/aws-sns'
import type { ResourceNames } from '../resource-names.js'

export interface FileDropProps {
  /** The enabled sources: the function may land their drops, and no other source's. */
  readonly sources: readonly string[]
  /** Drops are read from `<prefix><source>/…` of the landing bucket. */
  readonly landingPrefix: string
  readonly names: ResourceNames
  readonly key: IKey
  readonly alarmTopic: ITopic
  readonly logRetentionDays: number
}
