import type { StackProps } from 'aws-cdk-lib'
import type { IKey } from 'aws-cdk-lib/aws-kms'
import type { IBucket } from 'aws-cdk-lib/aws-s3'
import type { RevopsConfig } from '../config-schema.js'
import type { ResourceNames } from '../resource-names.js'

export interface QueryStackProps extends StackProps {
  readonly config: RevopsConfig
  readonly names: ResourceNames
  readonly resultsBucket: IBucket
  readonly encryptionKey: IKey
}
