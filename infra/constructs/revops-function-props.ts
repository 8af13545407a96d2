import type { Duration, RemovalPolicy } from 'aws-cdk-lib'

export interface RevopsFunctionProps {
  /** The handler folder: `handlers/<handler>/handler.ts` exports `handler`. */
  readonly handler: string
  /** Physical function name, e.g. `revops-pull-stripe`. */
  readonly functionName: string
  readonly description: string
  readonly environment?: Record<string, string>
  /** @default 1024 */
  readonly memorySize?: number
  readonly timeout: Duration
  /** Days the function's log group keeps its logs (one of CloudWatch Logs' periods). */
  readonly logRetentionDays: number
  /** Of the log group. @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy
  /**
   * Files of the repository root copied next to the bundle when they exist (the Lambda's working
   * folder is the bundle's), e.g. `revops.config.json`.
   * @default - none
   */
  readonly copyFiles?: readonly string[]
}
