import type { RemovalPolicy } from 'aws-cdk-lib'
import type { IKey } from 'aws-cdk-lib/aws-kms'
import type { IBucket, LifecycleRule } from 'aws-cdk-lib/aws-s3'

export interface LakeBucketProps {
  readonly bucketName: string
  /** The customer-managed key every object is encrypted with (SSE-KMS with a Bucket Key). */
  readonly encryptionKey: IKey
  /** Where S3 delivers this bucket's server access logs. */
  readonly accessLogsBucket: IBucket
  /** Prefix of this bucket's logs in the access-logs bucket, e.g. `raw/`. */
  readonly accessLogsPrefix: string
  /**
   * Keep overwritten and deleted versions.
   * @default false
   */
  readonly versioned?: boolean
  /**
   * Send object events to EventBridge (file drops start a land run).
   * @default false
   */
  readonly eventBridgeEnabled?: boolean
  /**
   * Lifecycle rules in addition to the one that aborts incomplete multipart uploads.
   * @default - none
   */
  readonly lifecycleRules?: LifecycleRule[]
  /** Incomplete multipart uploads (failed uploads, cancelled Athena queries) are aborted after this many days. */
  readonly abortIncompleteUploadDays: number
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy
}
