import { describe, expect, it } from 'vitest'
import { validateAthenaSql } from '../../core/sql/athena/athena-sql-check.js'
import { checkSemantic } from '../../semantic/check.js'
import { metricCases } from '../../semantic/metrics/cases/index.js'
import { projectCatalog } from '../../semantic/project.js'

const catalog = projectCatalog()
const base = { models: catalog.models, cases: metricCases }

describe('revops check on the semantic layer', () => {
  it('passes on the catalog, with every metric compiling for both engines and parsing as Athena SQL', async () => {
    expect(await checkSemantic({ ...base, metrics: catalog.metrics, validateAthenaSql })).toEqual([])
  })

  it('fails on a metric without an owner', async () => {
    const { owner: _owner, ...ownerless } = catalog.metric('mrr') as Record<string, unknown>
    const problems = await checkSemantic({
      ...base,
      metrics: [...catalog.metrics.filter((m) => m.id !== 'mrr'), ownerless],
    })
    expect(problems).toContainEqual({ subject: 'metric mrr', message: expect.stringMatching(/^owner: /) })
  })

  it('fails on a metric without a unit-test case', async () => {
    const untested = {
      ...catalog.metric('bookings'),
      id: 'bookings_copy',
      measure: 'opportunities.closed_amount',
    }
    const problems = await checkSemantic({ ...base, metrics: [...catalog.metrics, untested] })
    expect(problems).toContainEqual({
      subject: 'metric bookings_copy',
      message: expect.stringContaining('has no unit-test case'),
    })
  })

  it('fails on two metrics with the same definition under different names', async () => {
    const twin = { ...catalog.metric('bookings'), id: 'closed_won_amount', label: 'Closed-won amount' }
    const problems = await checkSemantic({ ...base, metrics: [...catalog.metrics, twin] })
    expect(problems).toContainEqual({
      subject: 'metric closed_won_amount',
      message: 'has the same definition as bookings',
    })
  })

  it('fails on an undocumented metric and on a reference that does not resolve', async () => {
    const vague = {
      ...catalog.metric('arr'),
      id: 'arr_vague',
      description: 'MRR × 12',
      formula: 'mrr * 12 + nothing',
    }
    const problems = await checkSemantic({ ...base, metrics: [...catalog.metrics, vague] })
    expect(problems).toContainEqual({
      subject: 'metric arr_vague',
      message: expect.stringMatching(/^description: say what it means/),
    })
  })

  it('fails on a certified metric built on a draft one', async () => {
    const draft = { ...catalog.metric('new_mrr'), status: 'draft' }
    const problems = await checkSemantic({
      ...base,
      metrics: [...catalog.metrics.filter((m) => m.id !== 'new_mrr'), draft],
    })
    expect(problems).toContainEqual({
      subject: 'metric net_new_mrr',
      message: 'is certified but depends on draft metric new_mrr',
    })
  })
})
