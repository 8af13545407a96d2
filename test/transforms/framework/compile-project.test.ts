import { describe, expect, it } from 'vitest'
import { validateAthenaSql } from '../../../core/sql/athena/athena-sql-check.js'
import { getDialect } from '../../../core/sql/dialects.js'
import { validateTrinoSql } from '../../../core/sql/trino/trino-grammar.js'
import { compileProject, createGraph, renderFile, Target } from '../../../transforms/framework/index.js'
import { models } from '../../fixtures/transforms/models/index.js'

const athena = Target.compileOnly(getDialect('athena'), {
  schemaPrefix: 'revops_',
  tableLocation: 's3://revops-warehouse/tables',
  newId: () => 'build-id',
})
const files = compileProject(createGraph(models), athena)
const file = (path: string) => {
  const found = files.find((f) => f.path === path)
  if (!found) throw new Error(`no compiled file ${path}`)
  return found
}

describe('compiling the project for Athena', () => {
  it('writes one file per model and per test', () => {
    expect(files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        'models/staging/stg_invoices.sql',
        'models/intermediate/int_paid_invoices.sql',
        'models/marts/fct_invoices.sql',
        'models/marts/fct_daily_revenue.sql',
        'tests/stg_invoices/unique_invoice_id.sql',
        'tests/fct_invoices/relationships_customer_id__dim_customers.sql',
        'tests/fct_daily_revenue/revenue_matches_paid_invoices.sql',
      ]),
    )
    expect(files.filter((f) => f.path.startsWith('models/'))).toHaveLength(6)
  })

  it('every statement parses with the Trino grammar and calls only Athena functions', async () => {
    const statements = files.flatMap((f) => f.statements.map((sql) => ({ path: f.path, sql })))
    expect(statements.length).toBeGreaterThan(30)
    for (const { path, sql } of statements) {
      const trino = await validateTrinoSql(sql)
      expect({ path, sql, errors: trino.errors }).toEqual({ path, sql, errors: [] })
      const athenaCheck = await validateAthenaSql(sql)
      expect({ path, sql, errors: athenaCheck.errors }).toEqual({ path, sql, errors: [] })
    }
  })

  it('builds Iceberg tables by CTAS at a fresh location under the warehouse prefix, then shows them by view', () => {
    const [create, ...rest] = file('models/marts/fct_daily_revenue.sql').statements
    expect(create).toMatch(
      /^CREATE TABLE "revops_physical"\."fct_daily_revenue__[0-9a-f]{8}"\nWITH \(table_type = 'ICEBERG'/,
    )
    expect(create).toContain(`location = 's3://revops-warehouse/tables/revops_physical/fct_daily_revenue__`)
    expect(create).toContain(`partitioning = ARRAY['revenue_date']`)
    // The ephemeral model is inlined as a CTE over the physical staging view.
    expect(create).toMatch(
      /with "int_paid_invoices" as \(select .* from "revops_physical"\."stg_invoices__[0-9a-f]{8}" as "inv"/,
    )
    expect(rest.at(-1)).toMatch(
      /^CREATE OR REPLACE VIEW "revops_marts"\."fct_daily_revenue" AS\nSELECT \* FROM "revops_physical"\."fct_daily_revenue__/,
    )
    expect(rest.some((s) => s.startsWith('DELETE FROM "revops_physical"."fct_daily_revenue__'))).toBe(true)
  })

  it('merges a deduplicated source into incremental merge models', () => {
    const merge = file('models/marts/fct_invoices.sql').statements.find((s) => s.startsWith('MERGE INTO'))
    expect(merge).toContain(
      'row_number() OVER (PARTITION BY "invoice_id" ORDER BY "updated_at" DESC NULLS LAST)',
    )
    expect(merge).toContain('WHERE revops_row = 1')
    expect(merge).toContain('(SELECT max("updated_at") FROM "revops_physical"."fct_invoices__previous")')
  })

  it('renders files with notes and statements ending in ;', () => {
    const text = renderFile(file('tests/stg_invoices/unique_invoice_id.sql'))
    expect(text).toMatch(/^-- test unique_invoice_id of stg_invoices \(unique, error\)/)
    expect(text).toContain('count(*) OVER () as "revops_failures"')
    expect(text.trimEnd().endsWith(';')).toBe(true)
  })

  it('is deterministic: the same project compiles to the same text', () => {
    const again = compileProject(createGraph(models), athena)
    expect(again.map(renderFile)).toEqual(files.map(renderFile))
  })
})
