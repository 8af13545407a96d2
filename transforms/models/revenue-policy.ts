import { z } from 'zod'
import { UserError } from '../../core/errors.js'

/**
 * The revenue policy: every choice METRICS.md leaves to configuration, as named, versioned data.
 * The billing models take the active policy and inline it into their SQL, so a different policy
 * compiles to different SQL, gets different fingerprints and is built into different tables.
 * `mrr-policy v1` is METRICS.md exactly; the semantic metrics cite it by that label.
 */
export const PolicyOptions = z
  .object({
    /** When a cancelled subscription stops counting: when its paid period ends, or at the cancellation. */
    cancellation: z.enum(['period_end', 'immediately']).default('period_end'),
    /**
     * Unpaid (open) invoices: they count until the subscription is cancelled or marked unpaid, or
     * (`churn_after_days`) only for `days` days after they fell due.
     */
    pastDue: z
      .discriminatedUnion('mode', [
        z.object({ mode: z.literal('keep_until_canceled') }).strict(),
        z.object({ mode: z.literal('churn_after_days'), days: z.int().min(0).max(365) }).strict(),
      ])
      .default({ mode: 'keep_until_canceled' }),
    /** Trials are never MRR (the only option METRICS.md allows; stated so the policy says it). */
    trials: z.literal('excluded').default('excluded'),
    /** Which discounts reduce MRR: every recurring one, or only `forever` coupons (as Stripe does). */
    discounts: z.enum(['all_recurring', 'forever_only']).default('all_recurring'),
    /** The currency MRR and money are reported in (ISO code); fx_rates.csv converts into it. */
    reportingCurrency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'expected a 3-letter currency code')
      .transform((c) => c.toUpperCase())
      .default('USD'),
  })
  .strict()

export const RevenuePolicy = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a lower-case name like mrr-policy'),
    version: z.int().positive(),
    description: z.string().optional(),
    options: PolicyOptions.default(PolicyOptions.parse({})),
  })
  .strict()
export type RevenuePolicy = z.output<typeof RevenuePolicy>
export type PolicyOptions = RevenuePolicy['options']

/** `mrr-policy v1`: how the policy is cited (metrics' `policy`, artifacts, docs). */
export function policyLabel(policy: Pick<RevenuePolicy, 'name' | 'version'>): string {
  return `${policy.name} v${policy.version}`
}

/** The default: METRICS.md as written. */
export const MRR_POLICY_V1: RevenuePolicy = Object.freeze(
  RevenuePolicy.parse({
    name: 'mrr-policy',
    version: 1,
    description:
      'METRICS.md: invoice-line MRR, cancellation at paid period end, past due counts until cancelled or unpaid, trials excluded, every recurring discount deducted, USD.',
  }),
)

/** Stripe Billing analytics' choices, for comparing with Stripe's dashboard. */
export const STRIPE_BILLING_V1: RevenuePolicy = Object.freeze(
  RevenuePolicy.parse({
    name: 'stripe-billing',
    version: 1,
    description: 'As Stripe Billing analytics: MRR ends at cancellation, only forever coupons reduce it.',
    options: { cancellation: 'immediately', discounts: 'forever_only' },
  }),
)

/** The policies known by label. */
export const POLICY_PRESETS: ReadonlyMap<string, RevenuePolicy> = new Map(
  [MRR_POLICY_V1, STRIPE_BILLING_V1].map((p) => [policyLabel(p), p]),
)

/**
 * A policy from configuration: a preset's label (`"stripe-billing v1"`) or a whole policy object.
 * A policy object may not reuse a preset's label with other options: a label names one meaning.
 */
export function resolvePolicy(value: unknown, where: string): RevenuePolicy {
  if (typeof value === 'string') {
    const preset = POLICY_PRESETS.get(value.trim())
    if (preset) return preset
    throw new UserError(`${where}: unknown revenue policy ${JSON.stringify(value)}`, {
      hint: `known: ${[...POLICY_PRESETS.keys()].join(', ')}, or a policy object {name, version, options}`,
    })
  }
  const parsed = RevenuePolicy.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new UserError(`${where}: ${issue?.path.join('.') || 'policy'}: ${issue?.message ?? 'invalid'}`)
  }
  const preset = POLICY_PRESETS.get(policyLabel(parsed.data))
  if (preset && JSON.stringify(preset.options) !== JSON.stringify(parsed.data.options)) {
    throw new UserError(
      `${where}: ${policyLabel(parsed.data)} is a built-in policy with other options; give yours its own name or version`,
    )
  }
  return parsed.data
}
