import type { IBucket } from 'aws-cdk-lib/aws-s3'

export interface RawTableProps {
  /** Name of the Glue database the table belongs to (the raw database). */
  readonly databaseName: string
  /** The bucket that holds the lake's `raw/` prefix. */
  readonly bucket: IBucket
  readonly source: string
  readonly entity: string
  /** First projected `ingest_date`, `YYYY-MM-DD`. */
  readonly projectionStart: string
}
