import type { RemovalPolicy } from 'aws-cdk-lib'
import type { RevopsConfig } from '../config-schema.js'
import type { BucketPurpose } from '../resource-names.js'

export interface LakeStorageProps {
  /** Physical bucket name per purpose. */
  readonly bucketName: (purpose: BucketPurpose) => string
  /** Alias of the lake key, e.g. `alias/revops-lake`. */
  readonly keyAlias: string
  readonly retention: RevopsConfig['retention']
  /** Applied to the key and every bucket. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy
}
