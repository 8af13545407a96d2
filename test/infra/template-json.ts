import type { Template } from 'aws-cdk-lib/assertions'

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation template JSON, checked by the assertions
export type Json = any

/**
 * A CloudFormation value as readable text: strings as they are, `<Id.Attr>` for GetAtt, `<Id>`
 * for Ref, `<stack:Output>` for a weak cross-stack reference, joins joined.
 */
export function render(value: Json): string {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return value.map(render).join(',')
  if (value?.['Fn::Join']) {
    const [separator, parts] = value['Fn::Join'] as [string, Json[]]
    return parts.map(render).join(separator)
  }
  if (value?.['Fn::GetAtt']) return `<${value['Fn::GetAtt'].join('.')}>`
  if (value?.Ref) return `<${value.Ref}>`
  if (value?.['Fn::GetStackOutput']) {
    const output = value['Fn::GetStackOutput']
    return `<${output.StackName}:${output.OutputName}>`
  }
  return JSON.stringify(value)
}

export interface Statement {
  readonly actions: string[]
  readonly resources: string[]
  readonly condition: Json
}

const list = (value: Json): Json[] => (Array.isArray(value) ? value : [value])

/** Every Allow statement of the policies attached to the role whose logical id starts with `role`. */
export function statementsOf(template: Template, role: string): Statement[] {
  const roles = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => id.startsWith(role))
  if (roles.length !== 1) throw new Error(`expected one role ${role}*, found ${roles.join(', ') || 'none'}`)
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Json[]
  return policies
    .filter((p) => list(p.Properties.Roles).some((r: Json) => r.Ref === roles[0]))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[])
    .filter((s) => s.Effect === 'Allow')
    .map((s) => ({
      actions: list(s.Action).sort(),
      resources: list(s.Resource).map(render).sort(),
      condition: s.Condition,
    }))
}

/** The resources a role may use an action on. */
export function resourcesFor(statements: readonly Statement[], action: string): string[] {
  return statements
    .filter((s) => s.actions.includes(action))
    .flatMap((s) => s.resources)
    .sort()
}

/** Every action a role is allowed, sorted. */
export function actionsOf(statements: readonly Statement[]): string[] {
  return [...new Set(statements.flatMap((s) => s.actions))].sort()
}

/** The one resource of a type whose property matches, with its logical id. */
export function resourceWhere(
  template: Template,
  type: string,
  match: (properties: Json) => boolean,
): { id: string; properties: Json } {
  const found = Object.entries(template.findResources(type) as Record<string, Json>).filter(([, r]) =>
    match(r.Properties),
  )
  if (found.length !== 1) throw new Error(`expected one ${type} matching, found ${found.length}`)
  const [id, resource] = found[0] as [string, Json]
  return { id, properties: resource.Properties }
}
