import { CfnOutput, Stack } from 'aws-cdk-lib'
import type { Construct } from 'constructs'
import { LakeStorage } from '../constructs/lake-storage.js'
import { removalPolicy } from '../removal-policy.js'
import type { StorageStackProps } from './storage-stack-props.js'

/** The stateful stack: the lake key and buckets. Other stacks reference it; it references none. */
export class StorageStack extends Stack {
  readonly storage: LakeStorage

  constructor(scope: Construct, id: string, props: StorageStackProps) {
    super(scope, id, props)
    const { config, names } = props
    this.storage = new LakeStorage(this, 'Lake', {
      bucketName: (purpose) => names.bucket(this, purpose),
      keyAlias: names.keyAlias(),
      retention: config.retention,
      removalPolicy: removalPolicy(config),
    })
    new CfnOutput(this, 'LandingBucket', { value: this.storage.landing.bucketName })
    new CfnOutput(this, 'RawBucket', { value: this.storage.raw.bucketName })
    new CfnOutput(this, 'WarehouseBucket', { value: this.storage.warehouse.bucketName })
    new CfnOutput(this, 'AthenaResultsBucket', { value: this.storage.athenaResults.bucketName })
    new CfnOutput(this, 'LakeKeyArn', { value: this.storage.key.keyArn })
  }
}
