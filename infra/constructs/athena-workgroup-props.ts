import type { IKey } from 'aws-cdk-lib/aws-kms'
import type { IBucket } from 'aws-cdk-lib/aws-s3'

export interface AthenaWorkgroupProps {
  /** Workgroup name, e.g. `revops-bi`. */
  readonly name: string
  readonly description: string
  /** Athena cancels a query once it has scanned this many bytes (at least 10000000). */
  readonly bytesScannedCutoffPerQuery: number
  /** Results go to `s3://<bucket>/<name>/`. */
  readonly resultsBucket: IBucket
  /** Results are encrypted with SSE-KMS under this key. */
  readonly encryptionKey: IKey
  /**
   * Result reuse age for queries of this workgroup. CloudFormation has no workgroup-level
   * setting for it (Athena takes `ResultReuseConfiguration` per `StartQueryExecution`), so it is
   * not rendered: the metric API reads it from here and sets it on every query it starts.
   * @default - no reuse
   */
  readonly resultReuseMaxAgeMinutes?: number
  /**
   * Delete the workgroup even when it holds saved queries.
   * @default false
   */
  readonly recursiveDelete?: boolean
}
