import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGraph, localLakeSources, testProject } from '../../../transforms/framework/index.js'
import { landDayOne } from '../../fixtures/transforms/lake.js'
import { models } from '../../fixtures/transforms/models/index.js'
import { openWarehouse, type Warehouse } from './support.js'

describe('revops test: freshness, data tests of what the environment shows, unit tests', () => {
  let w: Warehouse
  beforeAll(async () => {
    w = await openWarehouse()
    await landDayOne(w.lake)
    expect((await w.build(models)).ok).toBe(true)
  })
  afterAll(async () => {
    await w.close()
  })
  const run = (now: string, environment = 'prod') =>
    testProject({
      target: w.target,
      graph: createGraph(models),
      sources: localLakeSources(`${w.dir}/lake`),
      environment,
      now: new Date(now),
    })

  it('passes when sources are fresh and every test holds', async () => {
    const results = await run('2024-01-02T12:00:00.000Z')
    const failing = results.checks.filter((c) => c.status !== 'pass')
    expect(failing).toEqual([])
    expect(results.ok).toBe(true)
    expect(results.checks.filter((c) => c.kind === 'unit').map((c) => c.name)).toEqual([
      'keeps_the_latest_version',
      'sums_per_day',
    ])
    expect(results.checks.filter((c) => c.kind === 'freshness')).toHaveLength(2)
  })

  it('warns and errors on stale sources by their thresholds', async () => {
    const results = await run('2024-01-05T12:00:00.000Z')
    const freshness = Object.fromEntries(
      results.checks.filter((c) => c.kind === 'freshness').map((c) => [c.model, [c.status, c.message]]),
    )
    expect(freshness).toEqual({
      'raw.stripe__customers': ['fail', '_ingested_at is 78.0 h old'],
      'raw.stripe__invoices': ['warn', 'nothing landed since 2024-01-03'],
    })
    expect(results.ok).toBe(false)
  })

  it('skips data tests of models an environment does not show', async () => {
    const results = await run('2024-01-02T12:00:00.000Z', 'dev_nobody')
    const data = results.checks.filter((c) => c.kind !== 'unit' && c.kind !== 'freshness')
    expect(data.length).toBeGreaterThan(0)
    expect(
      data.every((c) => c.status === 'skipped' && / is not built in dev_nobody$/.test(c.message ?? '')),
    ).toBe(true)
  })
})
