import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { stripeSources } from '../../sources/stripe.js'
import { fromItem } from '../envelope/from-item.js'
import { payloadReader } from '../envelope/payload-reader.js'
import { toMajor } from './money.js'

const money = () => z.number().nullable()

/**
 * One row per invoice line, from the line-item export and from lines embedded in invoices
 * (`lines.data`), the latest landing of each. Stripe's two shapes become one: before 2025-03-31 a
 * line carries `price`/`plan`, `subscription`, `subscription_item`, `proration`, `type` and
 * `tax_amounts`; after, `pricing.price_details`, `parent.subscription_item_details` (or
 * `parent.invoice_item_details`) and `taxes`. Old line ids (`sli_…`) repeat across invoices, so a
 * line is keyed by `<invoice id>|<line id>`, as the lake keys it.
 */
export const stgStripeInvoiceLineItems = defineModel({
  name: 'stg_stripe__invoice_line_items',
  layer: 'staging',
  materialized: 'table',
  description: 'Stripe invoice lines (exported and embedded), both API shapes in one typed shape.',
  inputs: { raw: stripeSources.invoiceLineItems, invoices: stripeSources.invoices },
  columns: z.object({
    line_key: z.string(),
    line_id: z.string(),
    invoice_id: z.string(),
    subscription_id: z.string().nullable(),
    subscription_item_id: z.string().nullable(),
    price_id: z.string().nullable(),
    product_id: z.string().nullable(),
    /** subscription | invoiceitem */
    line_type: z.string().nullable(),
    is_proration: z.boolean(),
    currency: z.string().nullable(),
    /** Signed, before discounts, with inclusive tax (Stripe's `amount`). */
    amount: money(),
    discount_amount: money(),
    /** All tax on the line, inclusive and exclusive. */
    tax_amount: money(),
    inclusive_tax_amount: money(),
    quantity: z.number().nullable(),
    period_start: z.iso.datetime().nullable(),
    period_end: z.iso.datetime().nullable(),
    /** From the line itself (legacy embedded price or plan; `pricing.unit_amount_decimal`). */
    unit_amount: money(),
    price_type: z.string().nullable(),
    billing_interval: z.string().nullable(),
    interval_count: z.int().nullable(),
    usage_type: z.string().nullable(),
    tax_behavior: z.string().nullable(),
    description: z.string().nullable(),
    /** `discount_amounts` as JSON text: `[{"amount": …, "discount": <id or object>}, …]`. */
    discount_amounts_json: z.string().nullable(),
  }),
  query: ({ db, dialect }) => {
    const text = (json: string, path: string) => dialect.jsonString(sql.ref(json), path)
    const amountOf = (json: string) => dialect.tryCast<number>(text(json, 'amount'), 'bigint')
    return (
      db
        // Every landing of every line, exported or embedded; embedded lines take their invoice's cursor.
        .with('landed', (qb) =>
          qb
            .selectFrom('raw')
            .select((eb) => [
              'raw._id as line_key',
              dialect.jsonString(eb.ref('raw.payload'), 'invoice').as('invoice_id'),
              eb.ref('raw.payload').$castTo<string | null>().as('line'),
              eb.fn.coalesce('raw._updated_at', 'raw._ingested_at').as('cursor'),
              'raw._ingested_at',
            ])
            .unionAll(
              qb
                .selectFrom('invoices')
                .crossJoin(
                  fromItem<{ line: string | null }, 'e'>(
                    dialect.jsonArrayElements(sql.ref('invoices.payload'), 'lines.data', 'e', 'line'),
                  ),
                )
                .select((eb) => [
                  dialect
                    .concat(eb.ref('invoices._id'), sql.lit('|'), dialect.jsonString(eb.ref('e.line'), 'id'))
                    .$castTo<string>()
                    .as('line_key'),
                  eb.ref('invoices._id').$castTo<string | null>().as('invoice_id'),
                  'e.line',
                  eb.fn.coalesce('invoices._updated_at', 'invoices._ingested_at').as('cursor'),
                  'invoices._ingested_at',
                ])
                .where('invoices._deleted', '=', false),
            ),
        )
        .with('chosen', (qb) =>
          qb
            .selectFrom(
              qb
                .selectFrom('landed')
                .select((eb) => [
                  'landed.line_key',
                  'landed.invoice_id',
                  'landed.line',
                  eb.fn
                    .agg<number>('row_number')
                    .over((o) =>
                      o
                        .partitionBy('landed.line_key')
                        .orderBy('landed.cursor', 'desc')
                        .orderBy('landed._ingested_at', 'desc'),
                    )
                    .as('landing_rank'),
                ])
                .as('r'),
            )
            .select(['r.line_key', 'r.invoice_id', 'r.line'])
            .where('r.landing_rank', '=', 1)
            .where('r.line_key', 'is not', null),
        )
        .with('discounts', (qb) =>
          qb
            .selectFrom('chosen')
            .crossJoin(
              fromItem<{ item: string | null }, 'd'>(
                dialect.jsonArrayElements(sql.ref('chosen.line'), 'discount_amounts', 'd', 'item'),
              ),
            )
            .select((eb) => ['chosen.line_key', eb.fn.sum<number>(amountOf('d.item')).as('minor')])
            .groupBy('chosen.line_key'),
        )
        // Legacy `tax_amounts[].inclusive`, current `taxes[].tax_behavior`.
        .with('taxes', (qb) =>
          qb
            .selectFrom(
              qb
                .selectFrom('chosen')
                .crossJoin(
                  fromItem<{ tax: string | null }, 't'>(
                    dialect.jsonArrayElements(sql.ref('chosen.line'), 'tax_amounts', 't', 'tax'),
                  ),
                )
                .select([
                  'chosen.line_key',
                  amountOf('t.tax').as('minor'),
                  sql<boolean>`coalesce(${dialect.tryCast<boolean>(text('t.tax', 'inclusive'), 'boolean')}, FALSE)`.as(
                    'inclusive',
                  ),
                ])
                .unionAll(
                  qb
                    .selectFrom('chosen')
                    .crossJoin(
                      fromItem<{ tax: string | null }, 't'>(
                        dialect.jsonArrayElements(sql.ref('chosen.line'), 'taxes', 't', 'tax'),
                      ),
                    )
                    .select([
                      'chosen.line_key',
                      amountOf('t.tax').as('minor'),
                      sql<boolean>`coalesce(${text('t.tax', 'tax_behavior')} = 'inclusive', FALSE)`.as(
                        'inclusive',
                      ),
                    ]),
                )
                .as('all_taxes'),
            )
            .select((eb) => [
              'all_taxes.line_key',
              eb.fn.sum<number>('all_taxes.minor').as('minor'),
              eb.fn
                .sum<number>(
                  sql<number>`CASE WHEN ${eb.ref('all_taxes.inclusive')} THEN ${eb.ref('all_taxes.minor')} ELSE 0 END`,
                )
                .as('inclusive_minor'),
            ])
            .groupBy('all_taxes.line_key'),
        )
        .selectFrom('chosen')
        .leftJoin('discounts', 'discounts.line_key', 'chosen.line_key')
        .leftJoin('taxes', 'taxes.line_key', 'chosen.line_key')
        .select((eb) => {
          const p = payloadReader(dialect, eb.ref('chosen.line'))
          const currency = p.currency('currency')
          const major = (minor: ReturnType<typeof p.int>) => toMajor(dialect, minor, currency)
          const item = 'parent.subscription_item_details'
          const invoiceItem = 'parent.invoice_item_details'
          const recurring = (field: string, planField: string) =>
            eb.fn.coalesce(p.text(`price.recurring.${field}`), p.text(`plan.${planField}`))
          return [
            'chosen.line_key',
            p.text('id').$notNull().as('line_id'),
            eb.fn.coalesce('chosen.invoice_id', p.text('invoice')).$notNull().as('invoice_id'),
            eb.fn
              .coalesce(
                p.id('subscription'),
                p.text(`${item}.subscription`),
                p.text(`${invoiceItem}.subscription`),
              )
              .as('subscription_id'),
            eb.fn
              .coalesce(p.id('subscription_item'), p.text(`${item}.subscription_item`))
              .as('subscription_item_id'),
            eb.fn.coalesce(p.text('pricing.price_details.price'), p.id('price'), p.id('plan')).as('price_id'),
            eb.fn
              .coalesce(p.text('pricing.price_details.product'), p.id('price.product'), p.id('plan.product'))
              .as('product_id'),
            sql<
              string | null
            >`coalesce(${p.text('type')}, CASE ${p.text('parent.type')} WHEN 'subscription_item_details' THEN 'subscription' WHEN 'invoice_item_details' THEN 'invoiceitem' END)`.as(
              'line_type',
            ),
            sql<boolean>`coalesce(${p.bool('proration')}, ${p.bool(`${item}.proration`)}, ${p.bool(`${invoiceItem}.proration`)}, FALSE)`.as(
              'is_proration',
            ),
            currency.as('currency'),
            major(p.int('amount')).as('amount'),
            major(sql<number>`coalesce(${eb.ref('discounts.minor')}, 0)`).as('discount_amount'),
            major(sql<number>`coalesce(${eb.ref('taxes.minor')}, 0)`).as('tax_amount'),
            major(sql<number>`coalesce(${eb.ref('taxes.inclusive_minor')}, 0)`).as('inclusive_tax_amount'),
            p.number('quantity').as('quantity'),
            p.timestamp('period.start').as('period_start'),
            p.timestamp('period.end').as('period_end'),
            major(
              sql<
                number | null
              >`coalesce(${p.number('pricing.unit_amount_decimal')}, ${p.number('price.unit_amount_decimal')}, ${p.number('price.unit_amount')}, ${p.number('plan.amount_decimal')}, ${p.number('plan.amount')})`,
            ).as('unit_amount'),
            sql<
              string | null
            >`coalesce(${p.text('price.type')}, CASE WHEN ${p.text('plan.id')} IS NOT NULL THEN 'recurring' END)`.as(
              'price_type',
            ),
            recurring('interval', 'interval').as('billing_interval'),
            dialect
              .tryCast<number>(recurring('interval_count', 'interval_count'), 'bigint')
              .as('interval_count'),
            recurring('usage_type', 'usage_type').as('usage_type'),
            p.text('price.tax_behavior').as('tax_behavior'),
            p.text('description').as('description'),
            p.json('discount_amounts').as('discount_amounts_json'),
          ]
        })
    )
  },
  tests: (t) => [t.unique('line_key')],
})
