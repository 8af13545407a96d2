import { describe, expect, it } from 'vitest'
import type { Accepted, EntityContract } from '../../../sources/contract.js'
import { stripeEntities } from '../../../sources/stripe/stripe-entities.js'

const entity = (name: string): EntityContract => {
  const found = stripeEntities.find((e) => e.entity === name)
  if (!found) throw new Error(`no stripe entity ${name}`)
  return found
}
const accept = (name: string, value: unknown): Accepted => {
  const result = entity(name).check(value)
  if (!result.ok) throw new Error(`rejected: ${result.reason}`)
  return result
}

describe('Stripe contracts', () => {
  it('accepts a pre-2025 subscription (periods on the subscription) and a 2025-03-31+ one (periods on items)', () => {
    const old = accept('subscriptions', {
      id: 'sub_1',
      customer: 'cus_1',
      status: 'active',
      created: 1704067200,
      current_period_start: 1704067200,
      current_period_end: 1706745600,
    })
    expect(old.id).toBe('sub_1')
    const basil = accept('subscriptions', {
      id: 'sub_2',
      customer: { id: 'cus_2', object: 'customer' },
      status: 'active',
      created: 1743465600,
      items: {
        data: [
          {
            id: 'si_2',
            subscription: 'sub_2',
            created: 1743465600,
            current_period_start: 1,
            current_period_end: 2,
          },
        ],
      },
    })
    expect(basil.record.items).toBeDefined()
  })

  it('accepts invoices linked the old way (subscription) and the new way (parent)', () => {
    const base = {
      customer: 'cus_1',
      status: 'paid',
      created: 1,
      currency: 'usd',
      total: 10,
      amount_due: 10,
      amount_paid: 10,
    }
    expect(entity('invoices').check({ ...base, id: 'in_1', subscription: 'sub_1' }).ok).toBe(true)
    expect(
      entity('invoices').check({
        ...base,
        id: 'in_2',
        parent: { type: 'subscription_details', subscription_details: { subscription: 'sub_1' } },
      }).ok,
    ).toBe(true)
  })

  it('keys invoice line items by invoice + id, since old line ids repeat across invoices', () => {
    const line = {
      id: 'sli_1',
      amount: 5,
      currency: 'usd',
      period: { start: 1, end: 2 },
      price: { id: 'price_1' },
    }
    expect(accept('invoice_line_items', { ...line, invoice: 'in_1' }).id).toBe('in_1|sli_1')
    expect(accept('invoice_line_items', { ...line, invoice: 'in_2' }).id).toBe('in_2|sli_1')
    const newShape = {
      id: 'il_1',
      invoice: 'in_3',
      amount: 5,
      currency: 'usd',
      period: { start: 1, end: 2 },
      parent: { type: 'subscription_item_details' },
      pricing: { type: 'price_details' },
    }
    expect(accept('invoice_line_items', newShape).cursor).toBeNull()
    const missing = entity('invoice_line_items').check(line)
    expect(missing).toMatchObject({ ok: false, reasonClass: 'missing_field', field: 'invoice' })
  })

  it('uses `updated` as the cursor where present, else `created`', () => {
    const product = { id: 'prod_1', name: 'Core', created: 1704067200 }
    expect(accept('products', product).cursor).toBe('2024-01-01T00:00:00.000Z')
    expect(accept('products', { ...product, updated: 1706745600 }).cursor).toBe('2024-02-01T00:00:00.000Z')
  })

  it('lands a deleted object as a tombstone', () => {
    const result = accept('customers', { id: 'cus_9', object: 'customer', deleted: true })
    expect(result).toMatchObject({ id: 'cus_9', deleted: true, cursor: null })
  })

  it('keeps unknown fields and names the field of a wrong type', () => {
    const charge = {
      id: 'ch_1',
      created: 1,
      amount: 100,
      currency: 'usd',
      status: 'succeeded',
      new_in_2027: { x: 1 },
    }
    expect(accept('charges', charge).record.new_in_2027).toEqual({ x: 1 })
    expect(entity('charges').check({ ...charge, amount: '100' })).toMatchObject({
      ok: false,
      reasonClass: 'invalid_field',
      field: 'amount',
    })
    expect(entity('charges').check({ ...charge, amount: 1.5 })).toMatchObject({ ok: false, field: 'amount' })
    // Milliseconds where seconds belong would be a date past year 9999: rejected, not a crash.
    expect(entity('charges').check({ ...charge, created: 1_704_067_200_000_000 })).toMatchObject({
      ok: false,
      field: 'created',
    })
    expect(
      entity('invoices').check({
        id: 'in_1',
        created: 1,
        customer: null,
        status: 'paid',
        currency: 'usd',
        total: 1,
        amount_due: 1,
        amount_paid: 1,
        lines: { data: [{ id: 'il', amount: 'x' }] },
      }),
    ).toMatchObject({ ok: false, field: 'lines.data.0.amount' })
  })
})
