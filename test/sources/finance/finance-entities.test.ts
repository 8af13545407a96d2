import { describe, expect, it } from 'vitest'
import { financeEntities } from '../../../sources/finance/finance-entities.js'

const finance = (name: string) => financeEntities.find((e) => e.entity === name)

describe('finance contracts', () => {
  it('normalizes months to their first day', () => {
    const result = finance('sm_expense')?.check({ month: '2024-03', amount: '1000', currency: 'USD' })
    expect(result).toMatchObject({ ok: true, id: '2024-03-01|USD' })
    expect(finance('sm_expense')?.check({ month: '2024-03-15', amount: '1', currency: 'USD' })).toMatchObject(
      {
        ok: false,
        field: 'month',
      },
    )
  })

  it('wants gross margin as a fraction and quota periods in order', () => {
    expect(finance('gross_margin')?.check({ month: '2024-01', gross_margin: '0.78' })).toMatchObject({
      ok: true,
    })
    expect(finance('gross_margin')?.check({ month: '2024-01', gross_margin: '78' })).toMatchObject({
      ok: false,
      field: 'gross_margin',
    })
    const quota = {
      owner_id: '005U1',
      period_start: '2024-04-01',
      period_end: '2024-03-31',
      amount: '1',
      currency: 'USD',
    }
    expect(finance('quotas')?.check(quota)).toMatchObject({ ok: false, field: 'period_end' })
  })

  it('keys the account map by both ids', () => {
    expect(
      finance('account_map')?.check({ crm_account_id: '001A1', billing_customer_id: 'cus_A1' }),
    ).toMatchObject({
      id: '001A1|cus_A1',
    })
  })
})
