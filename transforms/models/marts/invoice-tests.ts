import { sql } from 'kysely'
import type { DataTest, Relation } from '../../framework/index.js'

/**
 * Every invoice with lines adds up to them, in its own currency: subtotal = Σ gross, discounts =
 * Σ line discounts, tax = Σ line tax, total = Σ line amounts. (Per invoice; `reconciles` compares
 * the grand totals only.) Invoices whose lines were not exported are not judged.
 */
export function invoiceTotalsMatchLines(lines: Relation): DataTest {
  const test: DataTest = {
    name: 'invoice_totals_match_lines',
    kind: 'reconciliation',
    severity: 'error',
    other: lines,
    failing: (db) =>
      db
        .selectFrom('self as i')
        .innerJoin(
          (qb) =>
            qb
              .selectFrom('other as l')
              .select((eb) => [
                'l.invoice_id',
                eb.fn.sum<number>('l.gross_amount_native').as('gross'),
                eb.fn.sum<number>('l.discount_native').as('discount'),
                eb.fn.sum<number>('l.tax_native').as('tax'),
                eb.fn.sum<number>('l.amount_native').as('amount'),
              ])
              .groupBy('l.invoice_id')
              .as('l'),
          (join) => join.onRef('l.invoice_id', '=', 'i.invoice_id'),
        )
        .select([
          'i.invoice_id',
          'i.subtotal_native',
          'l.gross',
          'i.discount_native',
          'l.discount',
          'i.tax_native',
          'l.tax',
          'i.total_native',
          'l.amount',
        ])
        .where((eb) =>
          eb.or(
            (
              [
                ['subtotal_native', 'gross'],
                ['discount_native', 'discount'],
                ['tax_native', 'tax'],
                ['total_native', 'amount'],
              ] as const
            ).map(([own, sum]) => sql<boolean>`abs(${eb.ref(`i.${own}`)} - ${eb.ref(`l.${sum}`)}) > 0.005`),
          ),
        ),
  }
  return Object.freeze(test)
}
