import type { RevenuePolicy } from './revenue-policy.js'

/**
 * A model (or anything) built once per policy object: models that read a policy-dependent model
 * get the very same object for the same policy, so the project graph sees one model per name.
 */
export function perPolicy<T>(build: (policy: RevenuePolicy) => T): (policy: RevenuePolicy) => T {
  const built = new WeakMap<RevenuePolicy, T>()
  return (policy) => {
    let value = built.get(policy)
    if (value === undefined) {
      value = build(policy)
      built.set(policy, value)
    }
    return value
  }
}
