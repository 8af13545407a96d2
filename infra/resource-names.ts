import { Stack } from 'aws-cdk-lib'
import type { IConstruct } from 'constructs'
import { glueDatabaseName } from '../core/config/names.js'

/** The buckets of the lake, by purpose; also the access-log prefix of each. */
export type BucketPurpose = 'landing' | 'raw' | 'warehouse' | 'athena-results' | 'access-logs'

/**
 * Physical names of the deployed resources. Buckets carry account and region because S3 names
 * are global; everything else carries only the prefix.
 */
export class ResourceNames {
  constructor(readonly prefix: string) {}

  /** `revops-raw-123456789012-us-east-1` (tokens when the stack is environment-agnostic). */
  bucket(scope: IConstruct, purpose: BucketPurpose): string {
    const stack = Stack.of(scope)
    return `${this.prefix}-${purpose}-${stack.account}-${stack.region}`
  }

  stack(part: string): string {
    return `${this.prefix}-${part}`
  }

  workgroup(name: string): string {
    return `${this.prefix}-${name}`
  }

  keyAlias(): string {
    return `alias/${this.prefix}-lake`
  }

  /** Glue database of a schema: `revops_marts`; Glue names allow no `-`. */
  database(schema: string): string {
    return glueDatabaseName(schema, this.schemaPrefix())
  }

  /** What the transforms and the semantic layer put before each schema name: `revops_`. */
  schemaPrefix(): string {
    return `${this.prefix.replaceAll('-', '_')}_`
  }

  /** Lambda functions, schedules, state machines and topics: `revops-pull-stripe`. */
  resource(part: string): string {
    return `${this.prefix}-${part}`
  }

  /** The Secrets Manager secret of a source's tokens: `revops/stripe`. */
  secret(source: string): string {
    return `${this.prefix}/${source}`
  }
}
