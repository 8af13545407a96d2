import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { build } from '../../../cli/commands/build.js'
import { janitor, promote } from '../../../cli/commands/promote.js'
import { runCli } from '../../../cli/main.js'
import { DuckDbEngine } from '../../../core/engines/duckdb-engine.js'
import { LocalLakeStore } from '../../../core/lake/local-lake-store.js'
import { landDayOne, landDayTwo } from '../../fixtures/transforms/lake.js'
import { models } from '../../fixtures/transforms/models/index.js'
import { capture } from '../capture.js'

const dir = mkdtempSync(join(tmpdir(), 'revops-cli-promote-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function invoiceIds(schema: string): Promise<string[]> {
  const engine = await DuckDbEngine.open({ path: join(dir, 'warehouse.duckdb') })
  try {
    const result = await engine.run(`SELECT invoice_id FROM "${schema}"."fct_invoices" ORDER BY 1`)
    return result.rows.map((r) => z.string().parse(r.invoice_id))
  } finally {
    await engine.close()
  }
}

describe('revops promote and revops janitor', () => {
  it('promotes what dev shows into prod without rebuilding, then drops the builds nobody shows', async () => {
    const lake = new LocalLakeStore(join(dir, 'lake'))
    await landDayOne(lake)
    expect(await build(capture().ctx(dir), {}, models)).toBe(0)
    expect(await invoiceIds('marts')).toEqual(['in_1', 'in_2', 'in_3'])

    await landDayTwo(lake)
    expect(await build(capture().ctx(dir), { env: 'dev_alice' }, models)).toBe(0)
    expect(await invoiceIds('dev_alice_marts')).toEqual(['in_1', 'in_2', 'in_3', 'in_4'])
    // prod still shows its own build until the promotion.
    expect(await invoiceIds('marts')).toEqual(['in_1', 'in_2', 'in_3'])

    const io = capture()
    expect(await runCli(['promote', 'dev_alice', '--dir', dir], io.streams), io.err()).toBe(0)
    expect(io.out()).toMatch(/\n5 models of dev_alice promoted to prod\n$/)
    expect(await invoiceIds('marts')).toEqual(['in_1', 'in_2', 'in_3', 'in_4'])

    // The day-one builds of the changed models are now shown by no environment.
    const swept = capture({ json: true })
    expect(await janitor(swept.ctx(dir))).toBe(0)
    const { dropped } = z
      .object({ dropped: z.array(z.object({ name: z.string(), kind: z.string() })) })
      .parse(JSON.parse(swept.out()))
    expect(dropped.length).toBeGreaterThan(0)
    expect(await invoiceIds('marts')).toEqual(['in_1', 'in_2', 'in_3', 'in_4'])
    const again = capture()
    expect(await janitor(again.ctx(dir))).toBe(0)
    expect(again.out()).toBe('0 unused builds dropped\n')
  })

  it('says plainly when the environment to promote has no models', async () => {
    await expect(promote(capture().ctx(dir), ['dev_nobody'], {})).rejects.toThrow(
      'environment dev_nobody has no models to promote',
    )
  })
})
