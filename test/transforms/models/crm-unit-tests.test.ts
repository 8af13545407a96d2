import { describe, expect, it } from 'vitest'
import { createGraph, runUnitTests } from '../../../transforms/framework/index.js'
import { createBillingModels } from '../../../transforms/models/billing.js'
import { crmModels } from '../../../transforms/models/crm.js'

describe('unit tests of the CRM and marketing models', () => {
  const billing = new Set(createGraph(createBillingModels()).models.map((m) => m.name))
  const models = createGraph(crmModels).models.filter((m) => !billing.has(m.name))

  it('cover the trickiest models', () => {
    const tested = models.filter((m) => m.unitTests.length > 0).map((m) => m.name)
    expect(tested).toEqual(
      expect.arrayContaining([
        'int_opportunity_states',
        'int_opportunity_events',
        'fct_opportunity_stage_event',
        'fct_lifecycle_event',
        'int_customer_matches',
        'int_crm_accounts',
      ]),
    )
  })

  it('all pass on DuckDB', async () => {
    const results = await runUnitTests(models)
    const failed = results.filter((r) => r.status !== 'pass')
    expect(failed.map((r) => ({ model: r.model, name: r.name, message: r.message, rows: r.rows }))).toEqual(
      [],
    )
    expect(results.length).toBeGreaterThanOrEqual(9)
  })
})
