import { COUPONS, type Currency, intervalMonths, price, TAX_RATES } from './catalog.js'
import type { IdFactory } from './ids.js'
import type {
  CustomerModel,
  DiscountModel,
  InvoiceModel,
  LineKind,
  LineModel,
  PaymentPlan,
  SubEvent,
  SubState,
  SubscriptionModel,
  TaxModel,
} from './model.js'
import type { Rng } from './prng.js'
import { addMonthsAnchored, DAY, HOUR } from './time.js'

/** A change of plan or seats at `at`. */
export interface ChangeScript {
  at: number
  priceKey?: string
  quantity?: number
  /** `always_invoice`: prorations invoiced at once; `create_prorations`: on the next renewal invoice; `at_renewal`: no proration, takes effect at the next period. */
  mode: 'always_invoice' | 'create_prorations' | 'at_renewal'
}

export interface SubScript {
  start: number
  priceKey: string
  quantity: number
  meteredAddon: boolean
  onboardingFee: boolean
  trialDays: number | null
  trialConverts: boolean
  trialEndBehavior: 'cancel' | 'pause'
  couponKey: string | null
  changes: ChangeScript[]
  end: { kind: 'at_period_end'; requestedAt: number } | { kind: 'immediate'; at: number } | null
  /** Collection paused for `periods` renewals starting with the renewal numbered `fromPeriod` (1 = first renewal). */
  pause: { fromPeriod: number; periods: number } | null
  /** Payment trouble on the renewal numbered `period`. */
  dunning: { period: number; outcome: 'recover' | 'cancel' | 'unpaid' } | null
  tags: string[]
  metadata: Record<string, string>
}

/** Stripe's Smart Retries, roughly: attempts 3, 5 and 7 days after the first. */
const RETRY_DAYS = [3, 5, 7]
const WRITE_OFF_DAYS = 15

/**
 * Runs one subscription's script through Stripe's billing rules and appends its invoices, lines,
 * discounts and events to the customer. Everything before `exportAt` happens; nothing after.
 */
export class Biller {
  constructor(
    private readonly ids: IdFactory,
    private readonly exportAt: number,
  ) {}

  simulate(customer: CustomerModel, script: SubScript, rng: Rng): SubscriptionModel {
    const E = this.exportAt
    const ids = this.ids
    const currency = customer.currency
    const subId = ids.stripe('sub')
    const t0 = script.start
    const primary = price(script.priceKey)
    if (primary.currency !== currency) throw new Error(`price ${primary.key} is not in ${currency}`)

    const items = [
      { id: ids.stripe('si', 14), priceKey: script.priceKey, quantity: script.quantity, created: t0 },
    ]
    if (script.meteredAddon)
      items.push({ id: ids.stripe('si', 14), priceKey: 'api_usd', quantity: 0, created: t0 })
    const trialEnd = script.trialDays ? t0 + script.trialDays * DAY : null
    const state: SubState = {
      status: trialEnd ? 'trialing' : 'active',
      items,
      currentPeriodStart: t0,
      currentPeriodEnd: trialEnd ?? addMonthsAnchored(t0, intervalMonths(primary)),
      cancelAtPeriodEnd: false,
      cancelAt: null,
      canceledAt: null,
      endedAt: null,
      cancellationReason: null,
      cancellationFeedback: null,
      pauseCollection: null,
      discountId: null,
      latestInvoiceId: null,
      billingCycleAnchor: trialEnd ?? t0,
    }
    const sub: SubscriptionModel = {
      id: subId,
      customerId: customer.id,
      currency,
      created: t0,
      trialStart: trialEnd ? t0 : null,
      trialEnd,
      trialEndBehavior: trialEnd && !script.trialConverts ? script.trialEndBehavior : 'create_invoice',
      legacy: customer.legacy,
      state,
      events: [],
      tags: [...script.tags],
      metadata: script.metadata,
    }
    customer.subscriptions.push(sub)

    const event = (type: string, at: number, previous: Record<string, unknown> | null) => {
      sub.events.push({ id: ids.stripe('evt'), type, created: at, state: snapshot(state), previous })
    }

    // The discount, if any, starts with the subscription.
    let discount: DiscountModel | null = null
    const coupon = script.couponKey ? COUPONS.find((c) => c.key === script.couponKey) : undefined
    if (coupon) {
      discount = {
        id: ids.stripe('di'),
        coupon,
        customerId: customer.id,
        subscriptionId: subId,
        start: t0,
        end:
          coupon.duration === 'forever'
            ? null
            : coupon.duration === 'once'
              ? null
              : addMonthsAnchored(t0, coupon.durationInMonths ?? 1),
      }
      customer.discounts.push(discount)
      state.discountId = discount.id
    }
    let discountUsed = false
    const discountFor = (at: number): DiscountModel | null => {
      if (!discount) return null
      if (discount.coupon.duration === 'once') return discountUsed ? null : discount
      if (discount.end !== null && at >= discount.end) return null
      return discount
    }

    event('customer.subscription.created', t0, null)

    // Trial: a $0 invoice for the trial period, then conversion or not.
    if (trialEnd) {
      const inv = this.invoice(customer, subId, t0, 'subscription_create', t0, t0)
      for (const it of items) {
        if (price(it.priceKey).usageType === 'metered') continue
        inv.lines.push(
          this.line(
            inv.id,
            'subscription',
            it.priceKey,
            it.quantity,
            0,
            t0,
            trialEnd,
            subId,
            it.id,
            null,
            null,
          ),
        )
        const last = inv.lines.at(-1)
        if (last) last.description = `Trial period for ${price(it.priceKey).nickname}`
      }
      this.settle(inv, { kind: 'pay' }, t0)
      state.latestInvoiceId = inv.id
      if (trialEnd - 3 * DAY < E) event('customer.subscription.trial_will_end', trialEnd - 3 * DAY, null)
      if (trialEnd >= E) return sub
      if (!script.trialConverts) {
        if (script.trialEndBehavior === 'cancel') {
          state.status = 'canceled'
          state.canceledAt = trialEnd
          state.endedAt = trialEnd
          state.cancellationReason = 'cancellation_requested'
          event('customer.subscription.deleted', trialEnd, null)
        } else {
          state.status = 'paused'
          event('customer.subscription.paused', trialEnd, { status: 'trialing' })
        }
        return sub
      }
      state.status = 'active'
      event('customer.subscription.updated', trialEnd, { status: 'trialing' })
    }

    let anchor = trialEnd ?? t0
    let periodIndex = 0
    let ps = anchor
    let pe = addMonthsAnchored(anchor, intervalMonths(price(state.items[0]?.priceKey ?? script.priceKey)))
    let pending: LineModel[] = []
    let firstInvoice = !trialEnd
    let prevPeriodStart: number | null = null
    const changes = [...script.changes].sort((a, b) => a.at - b.at)
    let cancelAtEnd = false
    let pausedRemaining = 0
    let unpaid = false
    let billedAlready = false

    while (ps < E) {
      const primaryItem = state.items[0]
      if (!primaryItem) break
      const months = intervalMonths(price(primaryItem.priceKey))
      // Changes scheduled for the renewal take effect now, without proration.
      while (changes.length > 0 && changes[0]?.mode === 'at_renewal' && (changes[0]?.at ?? 0) < ps) {
        const c = changes.shift()
        if (!c) break
        const prev = { items: state.items.map((i) => ({ price: i.priceKey, quantity: i.quantity })) }
        if (c.priceKey) primaryItem.priceKey = c.priceKey
        if (c.quantity) primaryItem.quantity = c.quantity
        event('customer.subscription.updated', ps, prev)
      }
      state.currentPeriodStart = ps
      state.currentPeriodEnd = pe

      // Collection pause around this renewal.
      if (script.pause && periodIndex === script.pause.fromPeriod && pausedRemaining === 0) {
        pausedRemaining = script.pause.periods
        const resumesAt = addMonthsAnchored(anchor, (periodIndex + script.pause.periods) * months)
        const at = ps - 2 * DAY
        state.pauseCollection = { behavior: 'void', resumesAt }
        event('customer.subscription.updated', at, { pause_collection: null })
      }
      const paused = pausedRemaining > 0

      let inv: InvoiceModel | null = null
      if (!billedAlready) {
        const reason = firstInvoice ? 'subscription_create' : 'subscription_cycle'
        inv = this.invoice(customer, subId, ps, reason, prevPeriodStart ?? ps, ps)
        const disc = discountFor(ps)
        for (const it of state.items) {
          const p = price(it.priceKey)
          if (p.usageType === 'metered') {
            if (prevPeriodStart !== null) {
              const usage = rng.int(0, 400) * 10
              if (usage > 0) {
                const l = this.line(
                  inv.id,
                  'metered',
                  it.priceKey,
                  usage,
                  usage * p.unitAmount,
                  prevPeriodStart,
                  ps,
                  subId,
                  it.id,
                  null,
                  null,
                )
                inv.lines.push(l)
              }
            }
            continue
          }
          const l = this.line(
            inv.id,
            'subscription',
            it.priceKey,
            it.quantity,
            p.unitAmount * it.quantity,
            ps,
            pe,
            subId,
            it.id,
            disc,
            null,
          )
          inv.lines.push(l)
        }
        if (firstInvoice && script.onboardingFee && currency === 'usd') {
          const l = this.line(
            inv.id,
            'one_time',
            'onboarding_usd',
            1,
            price('onboarding_usd').unitAmount,
            ps,
            ps,
            subId,
            null,
            null,
            null,
          )
          l.invoiceItemId = ids.stripe('ii')
          inv.lines.push(l)
        }
        for (const l of pending) {
          l.invoiceId = inv.id
          inv.lines.push(l)
        }
        pending = []
        if (disc && !paused) {
          discountUsed = true
          if (!inv.discountIds.includes(disc.id)) inv.discountIds.push(disc.id)
        }
        this.applyAmountOff(inv, disc)
        this.applyTax(customer, inv)

        let plan: PaymentPlan = { kind: 'pay' }
        let dunningOutcome: 'recover' | 'cancel' | 'unpaid' | null = null
        if (paused) {
          plan = { kind: 'none' }
        } else if (unpaid) {
          plan = { kind: 'none' }
        } else if (script.dunning && script.dunning.period === periodIndex) {
          dunningOutcome = script.dunning.outcome
          const writeOffAt = ps + HOUR + WRITE_OFF_DAYS * DAY
          if (dunningOutcome === 'recover') plan = { kind: 'recover', failures: rng.int(1, 3) }
          else plan = writeOffAt < E ? { kind: 'write_off', writeOffAt } : { kind: 'past_due' }
        }
        if (paused) this.voidNow(inv, ps)
        else if (unpaid) inv.status = 'draft'
        else this.settle(inv, plan, ps)
        state.latestInvoiceId = inv.id
        firstInvoice = false

        if (paused) {
          pausedRemaining--
          if (pausedRemaining === 0) {
            // Collection resumes at the next renewal.
            const resumeAt = pe
            if (resumeAt < E) {
              state.pauseCollection = null
              event('customer.subscription.updated', resumeAt - HOUR, {
                pause_collection: { behavior: 'void', resumes_at: resumeAt },
              })
            }
          }
        }

        // Past due, then written off: cancel or leave unpaid.
        if (plan.kind === 'past_due') {
          state.status = 'past_due'
          event('customer.subscription.updated', ps + HOUR, { status: 'active' })
        } else if (plan.kind === 'recover') {
          state.status = 'past_due'
          event('customer.subscription.updated', ps + HOUR, { status: 'active' })
          if (inv.status === 'paid') {
            state.status = 'active'
            event('customer.subscription.updated', inv.paidAt ?? ps, { status: 'past_due' })
          }
        } else if (plan.kind === 'write_off') {
          event('customer.subscription.updated', ps + HOUR, { status: 'active' })
          if (dunningOutcome === 'cancel') {
            state.status = 'canceled'
            state.canceledAt = plan.writeOffAt
            state.endedAt = plan.writeOffAt
            state.cancellationReason = 'payment_failed'
            event('customer.subscription.deleted', plan.writeOffAt, null)
            break
          }
          state.status = 'unpaid'
          unpaid = true
          event('customer.subscription.updated', plan.writeOffAt, { status: 'past_due' })
        }
      }
      billedAlready = false

      // Mid-period actions.
      const periodEndOrExport = Math.min(pe, E)
      let reset = false
      while (changes.length > 0) {
        const c = changes[0]
        if (!c || c.at >= periodEndOrExport) break
        if (c.at <= ps) {
          changes.shift()
          continue
        }
        if (c.mode === 'at_renewal') break
        changes.shift()
        if (unpaid || paused) continue
        const it = state.items[0]
        const host = inv?.id ?? ''
        if (!it) break
        const oldPrice = price(it.priceKey)
        const newPriceKey = c.priceKey ?? it.priceKey
        const newQty = c.quantity ?? it.quantity
        const newPrice = price(newPriceKey)
        const creditedLine = this.findCurrentLine(customer, subId, it.id, ps)
        const prev = { items: [{ price: it.priceKey, quantity: it.quantity }] }
        const fraction = (pe - c.at) / (pe - ps)
        const credit = this.line(
          host,
          'proration',
          it.priceKey,
          it.quantity,
          -Math.round(oldPrice.unitAmount * it.quantity * fraction),
          c.at,
          pe,
          subId,
          it.id,
          null,
          creditedLine,
        )
        credit.description = `Unused time on ${it.quantity} × ${oldPrice.nickname} after ${new Date(c.at * 1000).toISOString().slice(0, 10)}`
        if (creditedLine) this.copyDiscountShare(customer, credit, creditedLine.lineId)
        const intervalChanged = intervalMonths(newPrice) !== intervalMonths(oldPrice)
        it.priceKey = newPriceKey
        it.quantity = newQty
        if (intervalChanged) {
          // Switching billing interval resets the cycle: full new period from now, invoiced at once.
          const upd = this.invoice(customer, subId, c.at, 'subscription_update', c.at, c.at)
          credit.invoiceId = upd.id
          upd.lines.push(credit)
          const newEnd = addMonthsAnchored(c.at, intervalMonths(newPrice))
          const d = discountFor(c.at)
          upd.lines.push(
            this.line(
              upd.id,
              'subscription',
              newPriceKey,
              newQty,
              newPrice.unitAmount * newQty,
              c.at,
              newEnd,
              subId,
              it.id,
              d,
              null,
            ),
          )
          this.applyTax(customer, upd)
          this.settle(upd, { kind: 'pay' }, c.at)
          state.latestInvoiceId = upd.id
          anchor = c.at
          state.billingCycleAnchor = anchor
          periodIndex = 0
          prevPeriodStart = null
          ps = c.at
          pe = newEnd
          state.currentPeriodStart = ps
          state.currentPeriodEnd = pe
          event('customer.subscription.updated', c.at, prev)
          reset = true
          billedAlready = true
          break
        }
        const charge = this.line(
          host,
          'proration',
          newPriceKey,
          newQty,
          Math.round(newPrice.unitAmount * newQty * fraction),
          c.at,
          pe,
          subId,
          it.id,
          discountFor(c.at),
          null,
        )
        charge.description = `Remaining time on ${newQty} × ${newPrice.nickname} after ${new Date(c.at * 1000).toISOString().slice(0, 10)}`
        const mode = c.mode === 'create_prorations' && pe < E ? 'create_prorations' : 'always_invoice'
        if (mode === 'always_invoice') {
          const upd = this.invoice(customer, subId, c.at, 'subscription_update', c.at, c.at)
          credit.invoiceId = upd.id
          charge.invoiceId = upd.id
          upd.lines.push(credit, charge)
          this.applyTax(customer, upd)
          this.settle(upd, { kind: 'pay' }, c.at)
          state.latestInvoiceId = upd.id
        } else {
          pending.push(credit, charge)
        }
        event('customer.subscription.updated', c.at, prev)
      }
      if (reset) continue

      const end = script.end
      if (end && !unpaid && state.status !== 'canceled') {
        if (end.kind === 'immediate' && end.at > ps && end.at < periodEndOrExport) {
          const it = state.items.find((i) => price(i.priceKey).usageType === 'licensed')
          const upd = this.invoice(customer, subId, end.at, 'subscription_update', end.at, end.at)
          if (it && !paused) {
            const p = price(it.priceKey)
            const creditedLine = this.findCurrentLine(customer, subId, it.id, ps)
            const credit = this.line(
              upd.id,
              'proration',
              it.priceKey,
              it.quantity,
              -Math.round(p.unitAmount * it.quantity * ((pe - end.at) / (pe - ps))),
              end.at,
              pe,
              subId,
              it.id,
              null,
              creditedLine,
            )
            credit.description = `Unused time on ${it.quantity} × ${p.nickname} after ${new Date(end.at * 1000).toISOString().slice(0, 10)}`
            if (creditedLine) this.copyDiscountShare(customer, credit, creditedLine.lineId)
            upd.lines.push(credit)
          }
          for (const l of pending) {
            l.invoiceId = upd.id
            upd.lines.push(l)
          }
          pending = []
          this.applyTax(customer, upd)
          if (upd.lines.length > 0) {
            this.settle(upd, { kind: 'pay' }, end.at)
            state.latestInvoiceId = upd.id
          } else {
            customer.invoices.pop()
          }
          state.status = 'canceled'
          state.canceledAt = end.at
          state.endedAt = end.at
          state.cancellationReason = 'cancellation_requested'
          state.cancellationFeedback = rng.pick([
            'too_expensive',
            'missing_features',
            'switched_service',
            'unused',
          ])
          state.pauseCollection = null
          event('customer.subscription.deleted', end.at, null)
          break
        }
        if (
          end.kind === 'at_period_end' &&
          end.requestedAt > ps &&
          end.requestedAt < periodEndOrExport &&
          !cancelAtEnd
        ) {
          cancelAtEnd = true
          state.cancelAtPeriodEnd = true
          state.cancelAt = pe
          state.canceledAt = end.requestedAt
          state.cancellationReason = 'cancellation_requested'
          state.cancellationFeedback = rng.pick(['too_expensive', 'missing_features', 'low_quality', 'other'])
          event('customer.subscription.updated', end.requestedAt, {
            cancel_at_period_end: false,
            cancel_at: null,
            canceled_at: null,
          })
        }
      }
      if (cancelAtEnd && pe <= E) {
        state.status = 'canceled'
        state.endedAt = pe
        state.cancelAtPeriodEnd = false
        state.pauseCollection = null
        event('customer.subscription.deleted', pe, null)
        break
      }
      prevPeriodStart = ps
      ps = pe
      periodIndex++
      pe = addMonthsAnchored(anchor, (periodIndex + 1) * months)
    }
    return sub
  }

  /** A one-off services invoice still in draft at the export (not finalized, so never MRR or billings). */
  draftServicesInvoice(customer: CustomerModel, at: number): void {
    const inv = this.invoice(customer, null, at, 'manual', at, at)
    const l = this.line(
      inv.id,
      'one_time',
      'onboarding_usd',
      1,
      price('onboarding_usd').unitAmount,
      at,
      at,
      null,
      null,
      null,
      null,
    )
    l.invoiceItemId = this.ids.stripe('ii')
    inv.lines.push(l)
    this.applyTax(customer, inv)
  }

  private invoice(
    customer: CustomerModel,
    subscriptionId: string | null,
    created: number,
    billingReason: InvoiceModel['billingReason'],
    periodStart: number,
    periodEnd: number,
  ): InvoiceModel {
    const n = this.ids.next(`invoice:${customer.id}`)
    const inv: InvoiceModel = {
      id: this.ids.stripe('in'),
      number: `${customer.id.slice(4, 12).toUpperCase()}-${String(n).padStart(4, '0')}`,
      customerId: customer.id,
      subscriptionId,
      currency: customer.currency,
      created,
      finalizedAt: null,
      status: 'draft',
      billingReason,
      periodStart,
      periodEnd,
      lines: [],
      discountIds: [],
      payment: { kind: 'none' },
      paidAt: null,
      voidedAt: null,
      uncollectibleAt: null,
      startingBalance: 0,
      endingBalance: 0,
      amountDue: 0,
      amountPaid: 0,
      chargeIds: [],
      paidChargeId: null,
      paymentIntentId: null,
      creditNoteAmount: 0,
    }
    customer.invoices.push(inv)
    return inv
  }

  private line(
    invoiceId: string,
    kind: LineKind,
    priceKey: string,
    quantity: number,
    amount: number,
    periodStart: number,
    periodEnd: number,
    subscriptionId: string | null,
    subscriptionItemId: string | null,
    discount: DiscountModel | null,
    creditedLine: LineModel['creditedLine'],
  ): LineModel {
    const p = price(priceKey)
    const discounts: LineModel['discounts'] = []
    if (
      discount &&
      amount !== 0 &&
      discount.coupon.percentOff !== null &&
      kind !== 'metered' &&
      kind !== 'one_time'
    ) {
      discounts.push({
        discountId: discount.id,
        amount: Math.round((amount * discount.coupon.percentOff) / 100),
      })
    }
    if (discount && discount.coupon.amountOff !== null && kind === 'subscription' && amount > 0) {
      // Amount-off coupons are spread over the invoice in applyAmountOff; mark the line as discountable by it.
      discounts.push({ discountId: discount.id, amount: 0 })
    }
    return {
      id: this.ids.stripe('il'),
      invoiceId,
      kind,
      priceKey,
      quantity,
      amount,
      periodStart,
      periodEnd,
      discounts,
      tax: null,
      subscriptionId,
      subscriptionItemId,
      invoiceItemId: kind === 'proration' ? this.ids.stripe('ii') : null,
      creditedLine,
      description: `${quantity} × ${p.nickname} (at ${p.unitAmount} ${p.currency} / ${p.interval ?? 'once'})`,
    }
  }

  private applyAmountOff(inv: InvoiceModel, discount: DiscountModel | null): void {
    if (!discount || discount.coupon.amountOff === null) return
    const targets = inv.lines.filter((l) => l.discounts.some((d) => d.discountId === discount.id))
    const total = targets.reduce((s, l) => s + l.amount, 0)
    let left = Math.min(discount.coupon.amountOff, total)
    targets.forEach((l, i) => {
      const share =
        i === targets.length - 1
          ? left
          : Math.round((Math.min(discount.coupon.amountOff ?? 0, total) * l.amount) / total)
      left -= share
      const d = l.discounts.find((x) => x.discountId === discount.id)
      if (d) d.amount = share
    })
  }

  /** A credit for unused time takes the discount share of the line it credits, so the two cancel out. */
  private copyDiscountShare(customer: CustomerModel, credit: LineModel, creditedLineId: string): void {
    for (const inv of customer.invoices) {
      const orig = inv.lines.find((l) => l.id === creditedLineId)
      if (!orig || orig.amount === 0) continue
      credit.discounts = orig.discounts.map((d) => ({
        discountId: d.discountId,
        amount: Math.round((credit.amount * d.amount) / orig.amount),
      }))
      return
    }
  }

  private findCurrentLine(
    customer: CustomerModel,
    subId: string,
    itemId: string,
    periodStart: number,
  ): LineModel['creditedLine'] {
    for (let i = customer.invoices.length - 1; i >= 0; i--) {
      const inv = customer.invoices[i]
      if (!inv || inv.subscriptionId !== subId) continue
      const l = inv.lines.find(
        (x) => x.subscriptionItemId === itemId && x.kind === 'subscription' && x.periodStart === periodStart,
      )
      if (l) return { invoiceId: inv.id, lineId: l.id }
    }
    return null
  }

  private applyTax(customer: CustomerModel, inv: InvoiceModel): void {
    if (!customer.taxRateKey) return
    for (const l of inv.lines) {
      const p = price(l.priceKey)
      const inclusive = p.taxBehavior === 'inclusive'
      const key = inclusive ? 'de_vat_incl' : customer.taxRateKey
      const rate = TAX_RATES.find((r) => r.key === key)
      if (!rate) continue
      const discount = l.discounts.reduce((s, d) => s + d.amount, 0)
      const taxable = l.amount - discount
      const amount = inclusive
        ? Math.round((taxable * rate.percentage) / (100 + rate.percentage))
        : Math.round((taxable * rate.percentage) / 100)
      const tax: TaxModel = {
        rateKey: rate.key,
        rateId: taxRateId(rate.key),
        percentage: rate.percentage,
        inclusive,
        amount,
        taxable: inclusive ? taxable - amount : taxable,
      }
      l.tax = tax
    }
  }

  /** Finalizes the invoice and records how it gets paid; amounts and charges come in the balance pass. */
  private settle(inv: InvoiceModel, plan: PaymentPlan, at: number): void {
    inv.finalizedAt = inv.billingReason === 'subscription_cycle' ? at + HOUR : at
    inv.payment = plan
    const attempt = inv.finalizedAt
    switch (plan.kind) {
      case 'pay':
        inv.status = 'paid'
        inv.paidAt = attempt + 5
        break
      case 'recover': {
        inv.status = 'paid'
        const day = RETRY_DAYS[Math.min(plan.failures, RETRY_DAYS.length) - 1] ?? 3
        inv.paidAt = attempt + day * DAY
        if (inv.paidAt >= this.exportAt) {
          // Still being retried at the export: past due.
          inv.status = 'open'
          inv.paidAt = null
        }
        break
      }
      case 'write_off':
        inv.status = 'uncollectible'
        inv.uncollectibleAt = plan.writeOffAt
        break
      case 'past_due':
        inv.status = 'open'
        break
      case 'none':
        inv.status = 'paid'
        inv.paidAt = attempt
        break
    }
  }

  private voidNow(inv: InvoiceModel, at: number): void {
    inv.finalizedAt = at + HOUR
    inv.status = 'void'
    inv.voidedAt = at + HOUR + 1
    inv.payment = { kind: 'none' }
  }
}

export function taxRateId(key: string): string {
  return `txr_1Demo${key.replace(/_/g, '').padEnd(18, 'x').slice(0, 18)}`
}

function snapshot(s: SubState): SubState {
  return {
    ...s,
    items: s.items.map((i) => ({ ...i })),
    pauseCollection: s.pauseCollection ? { ...s.pauseCollection } : null,
  }
}

export type { Currency, SubEvent }
