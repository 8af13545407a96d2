import type { RemovalPolicy } from 'aws-cdk-lib'

export interface AccessLogsBucketProps {
  readonly bucketName: string
  /** Log files expire after this many days. */
  readonly expirationDays: number
  /** Incomplete multipart uploads are aborted after this many days. */
  readonly abortIncompleteUploadDays: number
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy
}
