import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib'
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3'
import type { Construct } from 'constructs'
import type { AccessLogsBucketProps } from './access-logs-bucket-props.js'

/**
 * The destination of the S3 server access logs of every other bucket. Encrypted with SSE-S3, not
 * the lake key: the S3 user guide documents SSE-S3 as the default encryption for log destination
 * buckets, and log delivery then needs no key grant. Log delivery is granted by bucket policy
 * (the `serverAccessLogsUseBucketPolicy` feature flag in cdk.json), since ACLs are disabled.
 */
export class AccessLogsBucket extends Bucket {
  constructor(scope: Construct, id: string, props: AccessLogsBucketProps) {
    super(scope, id, {
      bucketName: props.bucketName,
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: Duration.days(props.expirationDays),
          abortIncompleteMultipartUploadAfter: Duration.days(props.abortIncompleteUploadDays),
        },
      ],
    })
    Validations.of(this).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason:
        'This bucket is the server access log destination of the other buckets; S3 advises against a log ' +
        'destination that logs to itself (each delivery would log another delivery).',
    })
  }
}
