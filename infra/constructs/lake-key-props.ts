import type { RemovalPolicy } from 'aws-cdk-lib'

export interface LakeKeyProps {
  /** The alias, e.g. `alias/revops-lake`. */
  readonly alias: string
  /**
   * What happens to the key when the stack no longer manages it. Deleting the key makes every
   * object encrypted with it unreadable, so retain it unless the data goes too.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy
}
