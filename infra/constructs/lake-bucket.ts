import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3'
import type { Construct } from 'constructs'
import type { LakeBucketProps } from './lake-bucket-props.js'

/**
 * A bucket of the lake with the hardening forced on: SSE-KMS with the lake key and a Bucket Key,
 * public access blocked, ACLs disabled, TLS 1.2+ only, server access logs, and incomplete
 * multipart uploads aborted. Callers choose versioning and the remaining lifecycle rules.
 */
export class LakeBucket extends Bucket {
  constructor(scope: Construct, id: string, props: LakeBucketProps) {
    super(scope, id, {
      bucketName: props.bucketName,
      encryption: BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: props.versioned ?? false,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: props.accessLogsPrefix,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'abort-incomplete-uploads',
          abortIncompleteMultipartUploadAfter: Duration.days(props.abortIncompleteUploadDays),
        },
        ...(props.lifecycleRules ?? []),
      ],
    })
    if (props.eventBridgeEnabled) {
      // Set on the bucket resource itself: the L2 `eventBridgeEnabled` goes through a
      // notifications custom resource (a Lambda function) that CloudFormation does not need.
      // React to objects with EventBridge rules; `addEventNotification` would bring that
      // custom resource back and take over the bucket's notification configuration.
      const bucket = this.node.defaultChild as CfnBucket
      bucket.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } }
    }
  }
}
