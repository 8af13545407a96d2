import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UserError } from '../../../core/errors.js'
import { CONFIG_FILE, loadRevenuePolicy, POLICY_ENV } from '../../../transforms/models/policy-config.js'
import { MRR_POLICY_V1, STRIPE_BILLING_V1 } from '../../../transforms/models/revenue-policy.js'

describe('choosing the active revenue policy without editing code', () => {
  let cwd: string
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'revops-policy-'))
  })
  afterEach(() => rmSync(cwd, { recursive: true, force: true }))
  const config = (value: unknown) => writeFileSync(join(cwd, CONFIG_FILE), JSON.stringify(value))

  it('is mrr-policy v1 with no configuration, or a configuration that does not name one', () => {
    expect(loadRevenuePolicy({ cwd, env: {} })).toBe(MRR_POLICY_V1)
    config({ somethingElse: true })
    expect(loadRevenuePolicy({ cwd, env: {} })).toBe(MRR_POLICY_V1)
  })

  it('reads revenuePolicy from revops.config.json: a preset label or a policy object', () => {
    config({ revenuePolicy: 'stripe-billing v1' })
    expect(loadRevenuePolicy({ cwd, env: {} })).toBe(STRIPE_BILLING_V1)
    config({ revenuePolicy: { name: 'eu-books', version: 3, options: { reportingCurrency: 'EUR' } } })
    expect(loadRevenuePolicy({ cwd, env: {} })).toMatchObject({
      name: 'eu-books',
      version: 3,
      options: { reportingCurrency: 'EUR', cancellation: 'period_end' },
    })
  })

  it(`lets ${POLICY_ENV} win over the file, as a label or a policy file`, () => {
    config({ revenuePolicy: 'stripe-billing v1' })
    expect(loadRevenuePolicy({ cwd, env: { [POLICY_ENV]: 'mrr-policy v1' } })).toBe(MRR_POLICY_V1)
    writeFileSync(
      join(cwd, 'dunning.json'),
      JSON.stringify({
        name: 'dunning',
        version: 1,
        options: { pastDue: { mode: 'churn_after_days', days: 14 } },
      }),
    )
    expect(loadRevenuePolicy({ cwd, env: { [POLICY_ENV]: 'dunning.json' } }).options.pastDue).toEqual({
      mode: 'churn_after_days',
      days: 14,
    })
  })

  it('fails with one line naming the file on bad JSON, a missing file or a bad policy', () => {
    writeFileSync(join(cwd, CONFIG_FILE), '{ not json')
    expect(() => loadRevenuePolicy({ cwd, env: {} })).toThrow(UserError)
    expect(() => loadRevenuePolicy({ cwd, env: {} })).toThrow(`${join(cwd, CONFIG_FILE)}: not valid JSON`)
    expect(() => loadRevenuePolicy({ cwd, env: { [POLICY_ENV]: 'missing.json' } })).toThrow(
      `${join(cwd, 'missing.json')}: cannot read the revenue policy (ENOENT)`,
    )
    config({ revenuePolicy: { name: 'x', version: 0 } })
    expect(() => loadRevenuePolicy({ cwd, env: {} })).toThrow(
      `${join(cwd, CONFIG_FILE)}: revenuePolicy: version: `,
    )
  })
})
