import type { StackProps } from 'aws-cdk-lib'
import type { IBucket } from 'aws-cdk-lib/aws-s3'
import type { RevopsConfig } from '../config-schema.js'
import type { ResourceNames } from '../resource-names.js'

export interface CatalogStackProps extends StackProps {
  readonly config: RevopsConfig
  readonly names: ResourceNames
  /** Holds `raw/`: the location of the raw tables. */
  readonly rawBucket: IBucket
  /** Holds the Iceberg tables the builds create: the default location of the other databases. */
  readonly warehouseBucket: IBucket
}
