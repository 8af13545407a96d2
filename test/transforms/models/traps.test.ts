import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { DuckDbEngine } from '../../../core/engines/duckdb-engine.js'
import type { Row } from '../../../core/engines/engine.js'
import { LocalLakeStore } from '../../../core/lake/local-lake-store.js'
import { landFiles } from '../../../sources/landing/land-files.js'
import { build, createGraph, localLakeSources, Target } from '../../../transforms/framework/index.js'
import { createBillingModels } from '../../../transforms/models/billing.js'
import { MART_CONTRACTS } from '../../../transforms/models/marts/contracts.js'
import { policyLabel, resolvePolicy } from '../../../transforms/models/revenue-policy.js'

/**
 * The trap fixtures (test/fixtures/traps/<trap>/): Stripe exports (and finance CSVs) landed through
 * the landing core, built with the billing models on DuckDB under each case's revenue policy, and
 * compared with the hand-computed rows of `expected.json`. Each listed mart must hold exactly the
 * expected rows on the expected columns (money to the cent).
 */
const TRAPS = join(import.meta.dirname, '../../fixtures/traps')
const LANDED_AT = new Date('2026-01-02T06:00:00Z')

const Value = z.union([z.string(), z.number(), z.boolean(), z.null()])
const Expected = z.object({
  description: z.string(),
  cases: z
    .array(
      z.object({
        policy: z.unknown(),
        marts: z.partialRecord(
          z.enum(Object.keys(MART_CONTRACTS) as [string, ...string[]]),
          z.array(z.record(z.string(), Value)),
        ),
      }),
    )
    .min(1),
})

/** Rows on the given columns, money rounded to cents, in a stable order. */
function comparable(rows: readonly Row[], columns: readonly string[]) {
  return rows
    .map((row) =>
      Object.fromEntries(
        columns.map((c) => {
          const value = row[c]
          return [c, typeof value === 'number' ? Math.round(value * 100) / 100 + 0 : (value ?? null)]
        }),
      ),
    )
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
}

for (const trap of readdirSync(TRAPS).sort()) {
  const dir = join(TRAPS, trap)
  const expected = Expected.parse(JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')))

  describe(`trap ${trap}`, () => {
    let root: string
    let engine: DuckDbEngine
    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), `revops-trap-${trap}-`))
      const lake = new LocalLakeStore(join(root, 'lake'))
      for (const source of ['stripe', 'finance'] as const) {
        if (!existsSync(join(dir, source))) continue
        const landed = await landFiles(lake, { source, from: join(dir, source), now: LANDED_AT })
        expect(landed.totals.quarantined, `${source} records quarantined`).toBe(0)
      }
      engine = await DuckDbEngine.open({ path: join(root, 'warehouse.duckdb') })
    })
    afterAll(async () => {
      await engine?.close()
      rmSync(root, { recursive: true, force: true })
    })

    for (const testCase of expected.cases) {
      const policy = resolvePolicy(testCase.policy, `${trap}/expected.json`)
      it(`under ${policyLabel(policy)}: ${Object.keys(testCase.marts).join(', ')}`, async () => {
        const run = await build({
          target: new Target(engine),
          graph: createGraph(createBillingModels(policy)),
          sources: localLakeSources(join(root, 'lake')),
          threads: 1,
        })
        const failed = run.models
          .filter((m) => m.status !== 'success' && m.status !== 'reused')
          .map((m) => ({
            model: m.model,
            status: m.status,
            error: m.error,
            tests: m.tests.filter((t) => t.status !== 'pass'),
          }))
        expect(failed).toEqual([])
        for (const [mart, rows = []] of Object.entries(testCase.marts)) {
          const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))]
          const actual = (await engine.run(`SELECT * FROM marts.${mart}`)).rows
          expect({ mart, rows: comparable(actual, columns) }).toEqual({
            mart,
            rows: comparable(rows, columns),
          })
        }
      })
    }
  })
}
