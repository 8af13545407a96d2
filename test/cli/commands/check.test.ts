import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { check } from '../../../cli/commands/check.js'
import { defineModel } from '../../../transforms/framework/index.js'
import { models as projectModels } from '../../../transforms/models/index.js'
import { stgInvoices } from '../../fixtures/transforms/models/stg-invoices.js'
import { capture } from '../capture.js'

/** A model whose SQL is fine on DuckDB but calls a function Athena does not have. */
const duckdbOnly = defineModel({
  name: 'int_duckdb_only',
  layer: 'intermediate',
  materialized: 'table',
  description: 'Reads invoices with a DuckDB-only function.',
  inputs: { inv: stgInvoices },
  columns: z.object({ invoice_id: z.string(), tags: z.string() }),
  query: ({ db }) =>
    db
      .selectFrom('inv')
      .select(['inv.invoice_id', sql<string>`array_to_string(list_value('a', 'b'), ',')`.as('tags')]),
})

describe('revops check', () => {
  it('passes on the project: every model compiles for both engines and every metric is sound', async () => {
    const io = capture()
    expect(await check(io.ctx('.revops-unused', true)), io.err()).toBe(0)
    const result = z
      .object({ ok: z.boolean(), models: z.number(), problems: z.array(z.unknown()) })
      .parse(JSON.parse(io.out()))
    expect(result).toMatchObject({ ok: true, problems: [] })
    expect(result.models).toBeGreaterThanOrEqual(projectModels.length)
  })

  it('fails on a model whose Athena SQL calls a function Athena lacks, naming the file and the function', async () => {
    const io = capture()
    expect(await check(io.ctx('.revops-unused'), [duckdbOnly])).toBe(1)
    expect(io.err()).toMatch(
      /^models\/intermediate\/int_duckdb_only\.sql: Athena: line \d+:\d+: function list_value is not in the Athena engine v3 list/m,
    )
  })

  it('fails when a semantic model reads a mart the project no longer builds', async () => {
    const io = capture()
    expect(
      await check(
        io.ctx('.revops-unused'),
        projectModels.filter((m) => m.name !== 'fct_trial'),
      ),
    ).toBe(1)
    expect(io.err()).toMatch(
      /^semantic model \w+: reads mart fct_trial, which no model in transforms\/models\/index\.ts builds$/m,
    )
  })
})
