import { describe, expect, it } from 'vitest'
import { UserError } from '../../../core/errors.js'
import { getDialect } from '../../../core/sql/dialects.js'
import { billingMetrics } from '../../../semantic/metrics/billing.js'
import { retentionMetrics } from '../../../semantic/metrics/retention.js'
import { compileProject, createGraph, Target } from '../../../transforms/framework/index.js'
import { createBillingModels } from '../../../transforms/models/billing.js'
import {
  MRR_POLICY_V1,
  POLICY_PRESETS,
  policyLabel,
  resolvePolicy,
  STRIPE_BILLING_V1,
} from '../../../transforms/models/revenue-policy.js'

describe('the revenue policy', () => {
  it('defaults to mrr-policy v1, METRICS.md as written, the label the semantic metrics cite', () => {
    expect(policyLabel(MRR_POLICY_V1)).toBe('mrr-policy v1')
    expect(MRR_POLICY_V1.options).toEqual({
      cancellation: 'period_end',
      pastDue: { mode: 'keep_until_canceled' },
      trials: 'excluded',
      discounts: 'all_recurring',
      reportingCurrency: 'USD',
    })
    const cited = new Set(
      [...billingMetrics, ...retentionMetrics].flatMap((m) => (m.policy ? [m.policy] : [])),
    )
    expect([...cited]).toEqual(['mrr-policy v1'])
  })

  it('resolves presets by label and policy objects by schema, with defaults for omitted options', () => {
    expect(resolvePolicy('stripe-billing v1', 'test')).toBe(STRIPE_BILLING_V1)
    expect(resolvePolicy(' mrr-policy v1 ', 'test')).toBe(MRR_POLICY_V1)
    const strict = resolvePolicy(
      {
        name: 'strict',
        version: 2,
        options: { pastDue: { mode: 'churn_after_days', days: 30 }, reportingCurrency: 'eur' },
      },
      'test',
    )
    expect(strict.options).toEqual({
      ...MRR_POLICY_V1.options,
      pastDue: { mode: 'churn_after_days', days: 30 },
      reportingCurrency: 'EUR',
    })
  })

  it('refuses unknown labels, bad options, and a preset label with other options', () => {
    expect(() => resolvePolicy('mrr-policy v9', 'revops.config.json')).toThrow(UserError)
    expect(() => resolvePolicy('mrr-policy v9', 'revops.config.json')).toThrow(
      'revops.config.json: unknown revenue policy "mrr-policy v9"',
    )
    expect(() => resolvePolicy({ name: 'x', version: 1, options: { cancellation: 'never' } }, 'cfg')).toThrow(
      /^cfg: options\.cancellation: /,
    )
    expect(() => resolvePolicy({ name: 'x', version: 1, options: { trials: 'included' } }, 'cfg')).toThrow(
      /^cfg: options\.trials: /,
    )
    expect(() =>
      resolvePolicy({ name: 'mrr-policy', version: 1, options: { discounts: 'forever_only' } }, 'cfg'),
    ).toThrow(
      'cfg: mrr-policy v1 is a built-in policy with other options; give yours its own name or version',
    )
  })

  it('is compiled into the SQL: another policy gives the MRR models other SQL and fingerprints, staging keeps its own', () => {
    const target = Target.compileOnly(getDialect('duckdb'))
    const compiled = (policy: typeof MRR_POLICY_V1) =>
      new Map(compileProject(createGraph(createBillingModels(policy)), target).map((f) => [f.path, f]))
    const v1 = compiled(MRR_POLICY_V1)
    const stripe = compiled(STRIPE_BILLING_V1)
    const fingerprint = (files: typeof v1, path: string) =>
      files.get(path)?.notes.find((n) => n.startsWith('fingerprint'))
    for (const path of [
      'models/intermediate/int_mrr_line_segments.sql',
      'models/marts/fct_subscription_item_month.sql',
      'models/marts/fct_customer_mrr_month.sql',
    ]) {
      expect(fingerprint(stripe, path)).toBeDefined()
      expect(fingerprint(stripe, path)).not.toBe(fingerprint(v1, path))
    }
    expect(fingerprint(stripe, 'models/staging/stg_stripe__invoices.sql')).toBe(
      fingerprint(v1, 'models/staging/stg_stripe__invoices.sql'),
    )
    // The policy itself is a one-row table, so the warehouse and the manifest both name it.
    expect(stripe.get('models/intermediate/int_revenue_policy.sql')?.statements[0]).toContain(
      "'stripe-billing v1'",
    )
    expect(v1.get('models/intermediate/int_revenue_policy.sql')?.statements[0]).toContain("'mrr-policy v1'")
  })

  it('has every preset labelled by its own name and version', () => {
    for (const [label, policy] of POLICY_PRESETS) expect(policyLabel(policy)).toBe(label)
  })
})
