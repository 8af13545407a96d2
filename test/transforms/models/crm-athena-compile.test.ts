import { describe, expect, it } from 'vitest'
import { validateAthenaSql } from '../../../core/sql/athena/athena-sql-check.js'
import { getDialect } from '../../../core/sql/dialects.js'
import { compileProject, createGraph, Target } from '../../../transforms/framework/index.js'
import { createBillingModels } from '../../../transforms/models/billing.js'
import { createCrmModels } from '../../../transforms/models/crm.js'
import { POLICY_PRESETS } from '../../../transforms/models/revenue-policy.js'

const athena = Target.compileOnly(getDialect('athena'), {
  schemaPrefix: 'revops_',
  tableLocation: 's3://revops-warehouse/tables',
  newId: () => 'build-id',
})

describe('the CRM and marketing models on Athena', () => {
  const [label, policy] = [...POLICY_PRESETS][0] ?? []
  it(`compile (${label}), and every model and test statement passes the Athena check`, async () => {
    if (policy === undefined) throw new Error('no revenue policy preset')
    const files = compileProject(createGraph(createCrmModels(policy)), athena)
    // The billing models they read are checked by their own test.
    const billing = new Set(createGraph(createBillingModels(policy)).models.map((m) => m.name))
    const crm = files.filter((f) => !billing.has(/^(?:models\/\w+|tests)\/(\w+)/.exec(f.path)?.[1] ?? ''))
    expect(crm.length).toBeGreaterThan(60)
    expect(crm.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        'models/marts/fct_opportunity_history.sql',
        'models/marts/fct_opportunity_daily_snapshot.sql',
        'models/marts/dim_customer.sql',
        'models/staging/stg_hubspot__deal_stage_entries.sql',
        'models/marts/fct_ad_spend_daily.sql',
        'tests/fct_opportunity/matches_current_history_row.sql',
        'tests/dim_customer/every_billing_customer_once.sql',
      ]),
    )
    for (const file of crm) {
      for (const sql of file.statements) {
        const check = await validateAthenaSql(sql)
        expect({ path: file.path, sql, errors: check.errors }).toEqual({ path: file.path, sql, errors: [] })
      }
    }
  })
})
