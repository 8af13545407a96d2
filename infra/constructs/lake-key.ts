import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import { Key } from 'aws-cdk-lib/aws-kms'
import { Construct } from 'constructs'
import type { LakeKeyProps } from './lake-key-props.js'

/**
 * The customer-managed key of the lake: encrypts the landing, raw, warehouse and Athena results
 * buckets (with S3 Bucket Keys, so requests rarely reach KMS). Rotated yearly by KMS. The key
 * policy is the CDK default (the account administers it through IAM), so each function gets
 * exactly the grants its role needs.
 */
export class LakeKey extends Construct {
  readonly key: Key

  constructor(scope: Construct, id: string, props: LakeKeyProps) {
    super(scope, id)
    this.key = new Key(this, 'Key', {
      alias: props.alias,
      description: 'Encrypts the revops lake: landing, raw, warehouse and Athena results buckets',
      enableKeyRotation: true,
      // The longest waiting period: a scheduled deletion can still be cancelled for 30 days.
      pendingWindow: Duration.days(30),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    })
  }
}
