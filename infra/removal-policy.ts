import { RemovalPolicy } from 'aws-cdk-lib'
import type { RevopsConfig } from './config-schema.js'

/** The CDK removal policy for stateful resources (key, buckets, Glue databases). */
export function removalPolicy(config: Pick<RevopsConfig, 'removalPolicy'>): RemovalPolicy {
  return config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN
}
