import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { DuckDbEngine } from '../../../core/engines/duckdb-engine.js'
import type { Row } from '../../../core/engines/engine.js'
import { LocalLakeStore } from '../../../core/lake/local-lake-store.js'
import { SOURCE_NAMES } from '../../../sources/contract.js'
import { landFiles } from '../../../sources/landing/land-files.js'
import { build, createGraph, localLakeSources, Target } from '../../../transforms/framework/index.js'
import { createCrmModels } from '../../../transforms/models/crm.js'
import { MART_CONTRACTS } from '../../../transforms/models/marts/contracts.js'
import { MRR_POLICY_V1 } from '../../../transforms/models/revenue-policy.js'

/**
 * The CRM trap fixtures (test/fixtures/traps/<trap>/ whose expected.json has a `crm` part): vendor
 * exports landed through the landing core, the CRM models (and the billing models they read) built
 * on DuckDB, and each listed mart compared with its hand-computed rows on the columns they name;
 * `snapshots` are rows of the daily snapshot view, looked up by day and opportunity.
 */
const TRAPS = join(import.meta.dirname, '../../fixtures/traps')
const LANDED_AT = new Date('2026-01-02T06:00:00Z')

const Value = z.union([z.string(), z.number(), z.boolean(), z.null()])
const Rows = z.array(z.record(z.string(), Value))
const Expected = z.object({
  description: z.string(),
  crm: z
    .object({
      marts: z.partialRecord(z.enum(Object.keys(MART_CONTRACTS) as [string, ...string[]]), Rows),
      snapshots: Rows.optional(),
    })
    .optional(),
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

const traps = readdirSync(TRAPS)
  .sort()
  .map((trap) => ({ trap, dir: join(TRAPS, trap) }))
  .map(({ trap, dir }) => ({
    trap,
    dir,
    expected: Expected.parse(JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'))),
  }))
  .filter((t) => t.expected.crm !== undefined)

describe('CRM trap fixtures', () => {
  it('exist for the grain and the mutable-state traps', () => {
    expect(traps.map((t) => t.trap)).toEqual(
      expect.arrayContaining(['crm-account-grain', 'crm-mutable-state']),
    )
  })
})

for (const { trap, dir, expected } of traps) {
  const crm = expected.crm as NonNullable<typeof expected.crm>

  describe(`trap ${trap}`, () => {
    let root: string
    let engine: DuckDbEngine
    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), `revops-crm-trap-${trap}-`))
      const lake = new LocalLakeStore(join(root, 'lake'))
      for (const source of SOURCE_NAMES) {
        if (!existsSync(join(dir, source))) continue
        const landed = await landFiles(lake, { source, from: join(dir, source), now: LANDED_AT })
        expect(landed.totals.quarantined, `${source} records quarantined`).toBe(0)
      }
      engine = await DuckDbEngine.open({ path: join(root, 'warehouse.duckdb') })
      const run = await build({
        target: new Target(engine),
        graph: createGraph(createCrmModels(MRR_POLICY_V1)),
        sources: localLakeSources(join(root, 'lake')),
        threads: 1,
      })
      const failed = run.models
        .filter(
          (m) =>
            !['success', 'reused'].includes(m.status) ||
            m.tests.some((t) => ['fail', 'error'].includes(t.status)),
        )
        .map((m) => ({
          model: m.model,
          status: m.status,
          error: m.error,
          tests: m.tests.filter((t) => t.status !== 'pass'),
        }))
      expect(failed).toEqual([])
    })
    afterAll(async () => {
      await engine?.close()
      rmSync(root, { recursive: true, force: true })
    })

    for (const [mart, rows = []] of Object.entries(crm.marts)) {
      it(`${mart} holds the hand-computed rows`, async () => {
        const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))]
        const actual = (await engine.run(`SELECT * FROM marts.${mart}`)).rows
        expect(comparable(actual, columns)).toEqual(comparable(rows, columns))
      })
    }

    if (crm.snapshots?.length) {
      it('the daily snapshot holds each day’s state', async () => {
        const snapshots = crm.snapshots ?? []
        const columns = [...new Set(snapshots.flatMap((r) => Object.keys(r)))]
        const keys = snapshots.map((s) => `(DATE '${s.snapshot_date}', '${s.opportunity_id}')`).join(', ')
        const actual = (
          await engine.run(
            `SELECT s.* FROM marts.fct_opportunity_daily_snapshot AS s JOIN (VALUES ${keys}) AS k(d, o) ON s.snapshot_date = k.d AND s.opportunity_id = k.o`,
          )
        ).rows
        expect(comparable(actual, columns)).toEqual(comparable(snapshots, columns))
      })
    }
  })
}
