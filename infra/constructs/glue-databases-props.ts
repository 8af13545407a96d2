import type { RemovalPolicy } from 'aws-cdk-lib'

export interface GlueDatabaseSpec {
  /** Glue database name, e.g. `revops_marts`. */
  readonly name: string
  readonly description: string
  /** Default location of the database's tables, an `s3://` URI ending in `/`. */
  readonly locationUri: string
}

export interface GlueDatabasesProps {
  /** One entry per schema (`raw`, `staging`, ...). */
  readonly databases: Record<string, GlueDatabaseSpec>
  /**
   * Deleting a Glue database deletes every table in it, including the Iceberg tables the
   * builds create; retain them unless the data goes too.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy
}
