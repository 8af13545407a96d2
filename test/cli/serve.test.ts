import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { serve } from '../../cli/commands/serve.js'
import { createContext } from '../../cli/context.js'
import { warehousePaths } from '../../core/config/warehouse.js'
import { DuckDbEngine } from '../../core/engines/duckdb-engine.js'

const dir = mkdtempSync(join(tmpdir(), 'revops-serve-'))
beforeAll(async () => {
  // An empty warehouse: the API must answer catalog requests and fail queries with a clear 400.
  const engine = await DuckDbEngine.open({ path: warehousePaths(dir).duckdb })
  await engine.close()
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('serves the metric API over HTTP on 127.0.0.1 and stops cleanly', async () => {
  const stdout = new PassThrough()
  const lines: string[] = []
  stdout.on('data', (d) => lines.push(String(d)))
  const ctx = createContext({ dir }, { stdout, stderr: new PassThrough(), env: {} })
  const stop = new AbortController()
  const running = serve(ctx, { port: '0' }, stop.signal)
  await expect.poll(() => lines.join('')).toMatch(/http:\/\/127\.0\.0\.1:\d+/)
  const base = /http:\/\/127\.0\.0\.1:\d+/.exec(lines.join(''))?.[0] as string
  const metrics = await fetch(`${base}/metrics`)
  expect(metrics.status).toBe(200)
  expect(((await metrics.json()) as { metrics: unknown[] }).metrics.length).toBeGreaterThan(40)
  const query = await fetch(`${base}/query`, { method: 'POST', body: JSON.stringify({ metrics: ['mrr'] }) })
  expect(query.status).toBe(400)
  expect(((await query.json()) as { error: string }).error).toMatch(/failed on DuckDB/)
  stop.abort()
  expect(await running).toBe(0)
})
