import { z } from 'zod'
import { defineEntity, type EntityContract } from '../contract.js'
import { requiredCurrency, requiredDate, requiredId, requiredMonth, requiredNumber } from '../fields.js'

/**
 * Inputs no source system has, kept by finance as small CSVs. None has a cursor: a later landing
 * of the same key replaces an earlier one in staging (by `_ingested_at`). Months are normalized to
 * their first day (`2024-03` → `2024-03-01`).
 */

function financeEntity(
  entity: string,
  schema: z.ZodType<Record<string, unknown>>,
  primaryKey: readonly string[],
): EntityContract {
  return defineEntity({
    source: 'finance',
    entity,
    schema,
    primaryKey,
    cursorField: null,
    cursor: () => null,
    deletedField: null,
    deleted: () => false,
  })
}

export const financeEntities: readonly EntityContract[] = [
  financeEntity(
    'sm_expense',
    z.looseObject({ month: requiredMonth(), amount: requiredNumber(), currency: requiredCurrency() }),
    ['month', 'currency'],
  ),
  financeEntity(
    'gross_margin',
    z.looseObject({
      month: requiredMonth(),
      gross_margin: requiredNumber().pipe(z.number().max(1, 'expected a fraction (0.72 for 72%)')),
    }),
    ['month'],
  ),
  financeEntity(
    'quotas',
    z
      .looseObject({
        owner_id: requiredId(),
        period_start: requiredDate(),
        period_end: requiredDate(),
        amount: requiredNumber(),
        currency: requiredCurrency(),
      })
      .refine((q) => q.period_end >= q.period_start, {
        message: 'period_end is before period_start',
        path: ['period_end'],
      }),
    ['owner_id', 'period_start'],
  ),
  financeEntity(
    'fx_rates',
    z.looseObject({
      date: requiredDate(),
      currency: requiredCurrency(),
      rate_to_reporting: requiredNumber().pipe(z.number().positive()),
    }),
    ['date', 'currency'],
  ),
  financeEntity(
    'account_map',
    z.looseObject({ crm_account_id: requiredId(), billing_customer_id: requiredId() }),
    ['crm_account_id', 'billing_customer_id'],
  ),
]
