import { ArnFormat, Stack } from 'aws-cdk-lib'
import type { IConstruct } from 'constructs'
import type { BucketPurpose, ResourceNames } from './resource-names.js'

/**
 * ARNs of the lake's resources, built from their physical names (resource-names.ts) in the
 * stack that uses them. IAM statements then read as what they grant
 * (`arn:aws:s3:::revops-raw-…/raw/source=stripe/*`) and need no cross-stack export.
 */
export class LakeArns {
  readonly #stack: Stack

  constructor(
    scope: IConstruct,
    readonly names: ResourceNames,
  ) {
    this.#stack = Stack.of(scope)
  }

  bucket(purpose: BucketPurpose): string {
    return this.#stack.formatArn({
      service: 's3',
      region: '',
      account: '',
      resource: this.names.bucket(this.#stack, purpose),
    })
  }

  /** Every object under a key prefix (`raw/source=stripe/`) of a bucket. */
  objects(purpose: BucketPurpose, prefix: string): string {
    if (prefix !== '' && !prefix.endsWith('/')) throw new Error(`key prefix must end with "/": ${prefix}`)
    return `${this.bucket(purpose)}/${prefix}*`
  }

  glueCatalog(): string {
    return this.#stack.formatArn({ service: 'glue', resource: 'catalog' })
  }

  /** A Glue database by its full name (`revops_marts`, or `default`). */
  glueDatabase(name: string): string {
    return this.#stack.formatArn({ service: 'glue', resource: 'database', resourceName: name })
  }

  /** Every table of a Glue database (views are tables to Glue). */
  glueTables(database: string): string {
    return this.#stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${database}/*` })
  }

  workgroup(name: string): string {
    return this.#stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: name })
  }

  stateMachine(name: string): string {
    return this.#stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: name,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    })
  }
}
