import type { IdFactory } from './ids.js'
import type { ChargeModel, CustomerModel, InvoiceModel } from './model.js'
import type { Rng } from './prng.js'
import { DAY } from './time.js'

export interface InvoiceTotals {
  subtotal: number
  discount: number
  taxExclusive: number
  taxInclusive: number
  total: number
}

export function invoiceTotals(inv: InvoiceModel): InvoiceTotals {
  let subtotal = 0
  let discount = 0
  let taxExclusive = 0
  let taxInclusive = 0
  for (const l of inv.lines) {
    subtotal += l.amount
    for (const d of l.discounts) discount += d.amount
    if (l.tax) {
      if (l.tax.inclusive) taxInclusive += l.tax.amount
      else taxExclusive += l.tax.amount
    }
  }
  return { subtotal, discount, taxExclusive, taxInclusive, total: subtotal - discount + taxExclusive }
}

const RETRY_DAYS = [3, 5, 7]

/**
 * The money side, in invoice order: the customer's credit balance (from proration credits) is
 * applied to later invoices, then charges (failed attempts and the one that paid), a few refunds
 * with credit notes.
 */
export function settleCustomer(customer: CustomerModel, ids: IdFactory, rng: Rng, exportAt: number): void {
  customer.invoices.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1))
  let balance = 0
  for (const inv of customer.invoices) {
    const { total } = invoiceTotals(inv)
    if (inv.status === 'draft' || inv.status === 'void') {
      inv.startingBalance = 0
      inv.endingBalance = 0
      inv.amountDue = Math.max(0, total)
      continue
    }
    inv.startingBalance = balance
    const net = total + balance
    inv.amountDue = Math.max(0, net)
    balance = Math.min(0, net)
    inv.endingBalance = balance
    if (inv.amountDue === 0) {
      if (inv.status === 'open') inv.status = 'paid'
      if (inv.status === 'paid') inv.paidAt = inv.paidAt ?? inv.finalizedAt
      continue
    }
    const attempt = inv.finalizedAt ?? inv.created
    const pi = ids.stripe('pi')
    inv.paymentIntentId = pi
    const charge = (at: number, ok: boolean): ChargeModel => {
      const c: ChargeModel = {
        id: ids.stripe('ch'),
        paymentIntentId: pi,
        customerId: customer.id,
        invoiceId: inv.id,
        amount: inv.amountDue,
        currency: customer.currency,
        created: at,
        status: ok ? 'succeeded' : 'failed',
        failureCode: ok ? null : rng.pick(['card_declined', 'insufficient_funds', 'expired_card']),
        amountRefunded: 0,
        legacy: customer.legacy,
      }
      customer.charges.push(c)
      inv.chargeIds.push(c.id)
      return c
    }
    const plan = inv.payment
    if (plan.kind === 'pay' || plan.kind === 'none') {
      if (inv.status === 'paid') inv.paidChargeId = charge(inv.paidAt ?? attempt, true).id
    } else if (plan.kind === 'recover') {
      charge(attempt, false)
      for (let i = 0; i < plan.failures - 1; i++) charge(attempt + (RETRY_DAYS[i] ?? 3) * DAY, false)
      if (inv.status === 'paid') inv.paidChargeId = charge(inv.paidAt ?? attempt, true).id
    } else {
      charge(attempt, false)
      for (const d of RETRY_DAYS) {
        const at = attempt + d * DAY
        if (at < exportAt && (plan.kind !== 'write_off' || at < plan.writeOffAt)) charge(at, false)
      }
    }
    inv.amountPaid = inv.status === 'paid' ? inv.amountDue : 0
  }
  customer.balance = balance

  // A few partial refunds through credit notes on paid renewal invoices.
  for (const inv of customer.invoices) {
    if (inv.status !== 'paid' || !inv.paidChargeId || inv.billingReason !== 'subscription_cycle') continue
    if (!rng.chance(0.02)) continue
    const line = inv.lines.find((l) => l.kind === 'subscription' && l.amount > 0)
    if (!line) continue
    const ch = customer.charges.find((c) => c.id === inv.paidChargeId)
    if (!ch) continue
    const amount = Math.max(1, Math.round(ch.amount * rng.pick([0.1, 0.25, 0.5])))
    const at = (inv.paidAt ?? inv.created) + rng.int(2, 20) * DAY
    if (at >= exportAt) continue
    const refundId = ids.stripe('re')
    customer.refunds.push({
      id: refundId,
      chargeId: ch.id,
      paymentIntentId: ch.paymentIntentId,
      amount,
      currency: ch.currency,
      created: at,
      reason: 'requested_by_customer',
    })
    ch.amountRefunded += amount
    inv.creditNoteAmount += amount
    customer.creditNotes.push({
      id: ids.stripe('cn'),
      number: `${inv.number}-CN-01`,
      invoiceId: inv.id,
      customerId: customer.id,
      currency: customer.currency,
      created: at,
      amount,
      reason: 'product_unsatisfactory',
      refundId,
      lineId: line.id,
    })
  }
}
