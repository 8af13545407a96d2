import { describe, expect, it } from 'vitest'
import { validateAthenaSql } from '../../../core/sql/athena/athena-sql-check.js'
import { getDialect } from '../../../core/sql/dialects.js'
import { compileProject, createGraph, Target } from '../../../transforms/framework/index.js'
import { createBillingModels } from '../../../transforms/models/billing.js'
import { POLICY_PRESETS, policyLabel, resolvePolicy } from '../../../transforms/models/revenue-policy.js'

const athena = Target.compileOnly(getDialect('athena'), {
  schemaPrefix: 'revops_',
  tableLocation: 's3://revops-warehouse/tables',
  newId: () => 'build-id',
})

/** Every preset, and a policy with the options no preset uses. */
const POLICIES = [
  ...POLICY_PRESETS.values(),
  resolvePolicy(
    {
      name: 'dunning',
      version: 1,
      options: { pastDue: { mode: 'churn_after_days', days: 30 }, reportingCurrency: 'EUR' },
    },
    'test',
  ),
]

describe('the billing models on Athena', () => {
  for (const policy of POLICIES) {
    it(`compile under ${policyLabel(policy)}, and every statement passes the Athena check`, async () => {
      const files = compileProject(createGraph(createBillingModels(policy)), athena)
      const statements = files.flatMap((f) => f.statements.map((sql) => ({ path: f.path, sql })))
      expect(statements.length).toBeGreaterThan(3)
      for (const { path, sql } of statements) {
        const check = await validateAthenaSql(sql)
        expect({ path, sql, errors: check.errors }).toEqual({ path, sql, errors: [] })
      }
    })
  }
})
