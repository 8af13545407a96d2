import { Stack, Validations } from 'aws-cdk-lib'
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam'
// The cdk-nag IAM5 rule names each finding by this flattening, so acknowledgements match it exactly.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js'
import type { IConstruct } from 'constructs'

export interface ScopedGrant {
  /** Spelled out one by one: no action wildcards. */
  readonly actions: readonly string[]
  readonly resources: readonly string[]
  readonly conditions?: Record<string, Record<string, unknown>>
  /**
   * Why resources that end in a wildcard (objects under a prefix, tables of a database) are as
   * narrow as the job allows. Required when any resource has a `*`: cdk-nag's IAM5 finding on it
   * is acknowledged with this reason, and a wildcard without a reason stops the synth.
   */
  readonly wildcardReason?: string
}

/** Adds one least-privilege statement to a role (see ScopedGrant). */
export function allow(role: IRole, grant: ScopedGrant): void {
  const wildAction = grant.actions.find((a) => a.includes('*'))
  if (wildAction) throw new Error(`${role.node.path}: spell out the actions instead of ${wildAction}`)
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: [...grant.actions],
      resources: [...grant.resources],
      ...(grant.conditions ? { conditions: grant.conditions } : {}),
    }),
  )
  acknowledgeWildcards(role, grant.resources, grant.wildcardReason)
}

/**
 * Acknowledges cdk-nag's IAM5 finding on each resource that has a `*`, on `scope` (the role, or
 * a construct whose role the CDK made), with the reason. Resources without `*` need nothing.
 */
export function acknowledgeWildcards(
  scope: IConstruct,
  resources: readonly string[],
  reason: string | undefined,
): void {
  for (const resource of resources) {
    const flat = flattenCfnReference(Stack.of(scope).resolve(resource))
    if (!flat.includes('*')) continue
    if (!reason) throw new Error(`${scope.node.path}: ${flat} has a wildcard and no reason for it`)
    Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${flat}]`, reason })
  }
}
