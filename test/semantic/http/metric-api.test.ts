import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckDbEngine } from '../../../core/engines/duckdb-engine.js'
import { type ApiRequest, handleMetricApi } from '../../../semantic/http/metric-api.js'
import { loadFixtureTables } from '../../../semantic/testing/fixture-tables.js'
import { TINY_TABLES, tinyCatalog } from '../../fixtures/semantic/tiny-catalog.js'

let engine: DuckDbEngine
const catalog = tinyCatalog()
const call = async (request: Partial<ApiRequest>) => {
  const response = await handleMetricApi(
    { method: 'GET', path: '/', query: {}, ...request },
    { catalog, engine: async () => engine },
  )
  return { ...response, json: JSON.parse(response.body) as Record<string, unknown> }
}

beforeAll(async () => {
  engine = await DuckDbEngine.open({ path: ':memory:' })
  await loadFixtureTables(engine, 'marts', TINY_TABLES)
})
afterAll(() => engine.close())

describe('the metric API', () => {
  it('answers a JSON query in the contract shape', async () => {
    const response = await call({
      method: 'POST',
      path: '/query',
      body: JSON.stringify({ metrics: ['mrr'], grain: 'quarter' }),
    })
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toContain('application/json')
    expect(response.json).toEqual({
      metrics: ['mrr'],
      grain: 'quarter',
      rows: [
        { period: '2024-01-01', mrr: 350 },
        { period: '2024-04-01', mrr: 100 },
      ],
    })
  })

  it('answers the same query from URL parameters, with provenance on request', async () => {
    const response = await call({
      path: '/query',
      query: { metrics: 'mrr', by: 'segment', where: 'segment = ent', to: '2024-02-29', provenance: 'true' },
    })
    expect(response.status).toBe(200)
    expect(response.json.rows).toEqual([
      { period: '2024-01-01', segment: 'ent', mrr: 0 },
      { period: '2024-02-01', segment: 'ent', mrr: 200 },
    ])
    const provenance = response.json.provenance as {
      sql: string
      definitions: Record<string, { version: string }>
    }
    expect(provenance.sql).toMatch(/^WITH "periods"/)
    expect(provenance.definitions.mrr?.version).toBe('1.0.0')
  })

  it.each([
    [{ metrics: ['nope'] }, 'unknown metric nope'],
    [{ metrics: ['mrr'], dimensions: ['planet'] }, 'dimension planet is not available for mrr'],
    [{ metrics: ['mrr'], from: '2024-02-30' }, 'invalid query: from'],
    [{ metrics: ['mrr'], grain: 'fortnight' }, 'invalid query: grain'],
  ])('rejects %j with a 400 naming the problem', async (query, message) => {
    const response = await call({ method: 'POST', path: '/query', body: JSON.stringify(query) })
    expect(response.status).toBe(400)
    expect(String(response.json.error)).toContain(message)
  })

  it('rejects a body that is not JSON, and unknown routes and methods', async () => {
    expect((await call({ method: 'POST', path: '/query', body: 'metrics=mrr' })).status).toBe(400)
    expect((await call({ path: '/nowhere' })).status).toBe(404)
    expect((await call({ method: 'DELETE', path: '/metrics' })).status).toBe(405)
  })

  it('lists and describes metrics', async () => {
    const list = await call({ path: '/metrics' })
    expect((list.json.metrics as { id: string }[]).map((m) => m.id)).toContain('nrr_2m')
    const one = await call({ path: '/metrics/mrr' })
    expect(one.json).toMatchObject({
      id: 'mrr',
      type: 'simple',
      dimensions: expect.arrayContaining(['segment']),
    })
    expect((await call({ path: '/metrics/nope' })).status).toBe(404)
  })
})
