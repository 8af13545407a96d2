import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { getDialect } from '../../../core/sql/dialects.js'
import { compileModel, defineModel } from '../../../transforms/framework/index.js'
import { intPaidInvoices } from '../../fixtures/transforms/models/int-paid-invoices.js'
import { stgInvoices } from '../../fixtures/transforms/models/stg-invoices.js'

const duckdb = getDialect('duckdb')
const athena = getDialect('athena')
const physical = (relation: { id: string }) => ({
  schema: 'physical',
  name: `${relation.id.replace('.', '_')}__00000000`,
})
const inlineEphemeral = (relation: Parameters<Parameters<typeof compileModel>[2]>[0]) =>
  relation.kind === 'model' && relation.materialized.kind === 'ephemeral'
    ? ('inline' as const)
    : physical(relation)

const paidDays = defineModel({
  name: 'paid_days',
  layer: 'marts',
  materialized: 'view',
  inputs: { paid: intPaidInvoices },
  columns: z.object({ invoice_date: z.iso.date() }),
  query: ({ db }) => db.selectFrom('paid').select('paid.invoice_date').distinct(),
})

/** Ephemeral models reading ephemeral models. */
const paidDaysInline = defineModel({
  name: 'paid_days_inline',
  layer: 'marts',
  materialized: 'ephemeral',
  inputs: { paid: intPaidInvoices },
  columns: z.object({ invoice_date: z.iso.date() }),
  query: ({ db }) => db.selectFrom('paid').select('paid.invoice_date'),
})
const firstPaidDay = defineModel({
  name: 'first_paid_day',
  layer: 'marts',
  materialized: 'ephemeral',
  inputs: { days: paidDaysInline },
  columns: z.object({ first_day: z.iso.date().nullable() }),
  query: ({ db }) => db.selectFrom('days').select((eb) => eb.fn.min('days.invoice_date').as('first_day')),
})

describe('compiling a model query', () => {
  it('rewrites input names to their tables, keeping the input name as the alias', () => {
    expect(compileModel(paidDays, duckdb, inlineEphemeral)).toBe(
      'with "int_paid_invoices" as (select "inv"."invoice_id", "inv"."amount", "inv"."invoice_date" from "physical"."stg_invoices__00000000" as "inv" where "inv"."status" = \'paid\') select distinct "paid"."invoice_date" from "int_paid_invoices" as "paid"',
    )
  })

  it('hoists nested ephemeral models into one WITH, upstream first', () => {
    const reader = defineModel({
      name: 'reader',
      layer: 'marts',
      materialized: 'view',
      inputs: { f: firstPaidDay },
      columns: z.object({ first_day: z.iso.date().nullable() }),
      query: ({ db }) => db.selectFrom('f').select('f.first_day'),
    })
    const text = compileModel(reader, duckdb, inlineEphemeral)
    expect(text.match(/ as \(/g)).toHaveLength(3)
    expect(text.indexOf('"int_paid_invoices" as (')).toBeLessThan(text.indexOf('"paid_days_inline" as ('))
    expect(text.indexOf('"paid_days_inline" as (')).toBeLessThan(text.indexOf('"first_paid_day" as ('))
  })

  it('inlines values as literals spelled by the dialect (views and CTAS take no parameters)', () => {
    const big = defineModel({
      name: 'big_invoices',
      layer: 'marts',
      materialized: 'view',
      inputs: { inv: stgInvoices },
      columns: z.object({ invoice_id: z.string() }),
      query: ({ db }) =>
        db
          .selectFrom('inv')
          .select('inv.invoice_id')
          .where('inv.amount', '>', 0.5)
          .where('inv.status', 'in', ['paid', 'open'])
          .where('inv.customer_id', '<>', "o'brien")
          .limit(10),
    })
    expect(compileModel(big, athena, inlineEphemeral)).toBe(
      `select "inv"."invoice_id" from "physical"."stg_invoices__00000000" as "inv" where "inv"."amount" > CAST(0.5 AS DOUBLE) and "inv"."status" in ('paid', 'open') and "inv"."customer_id" <> 'o''brien' limit 10`,
    )
  })

  it('refuses a Date value, and a table that is not an input', () => {
    const dated = defineModel({
      name: 'dated',
      layer: 'marts',
      materialized: 'view',
      inputs: { inv: stgInvoices },
      columns: z.object({ invoice_id: z.string() }),
      query: ({ db }) =>
        db
          .selectFrom('inv')
          .select('inv.invoice_id')
          .where('inv.invoice_date', '>', new Date('2024-01-01') as never),
    })
    expect(() => compileModel(dated, duckdb, inlineEphemeral)).toThrow(
      'cannot write [object Date] as SQL; use dialect.dateLiteral or dialect.timestampLiteral for dates',
    )
    const sneaky = defineModel({
      name: 'sneaky',
      layer: 'marts',
      materialized: 'view',
      inputs: { inv: stgInvoices },
      columns: z.object({ invoice_id: z.string() }),
      query: ({ db }) =>
        db
          .selectFrom('inv')
          .innerJoin('raw.stripe__customers as c' as 'inv', 'inv.customer_id', 'inv.customer_id')
          .select('inv.invoice_id'),
    })
    expect(() => compileModel(sneaky, duckdb, inlineEphemeral)).toThrow(
      'model sneaky reads table stripe__customers, which is not one of its inputs (inv)',
    )
  })

  it('lets a query name its own CTEs and reach inputs from raw SQL with sql.table', () => {
    const ctes = defineModel({
      name: 'with_ctes',
      layer: 'marts',
      materialized: 'view',
      inputs: { inv: stgInvoices },
      columns: z.object({ n: z.int() }),
      query: ({ db }) =>
        db
          .with('paid', (q) => q.selectFrom('inv').select('inv.invoice_id').where('inv.status', '=', 'paid'))
          .selectFrom('paid')
          .select(sql<number>`(SELECT count(*) FROM ${sql.table('inv')})`.as('n')),
    })
    expect(compileModel(ctes, duckdb, inlineEphemeral)).toBe(
      `with "paid" as (select "inv"."invoice_id" from "physical"."stg_invoices__00000000" as "inv" where "inv"."status" = 'paid') select (SELECT count(*) FROM "physical"."stg_invoices__00000000") as "n" from "paid"`,
    )
  })
})
