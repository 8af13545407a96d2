import { type Currency, intervalMonths, minorPerMajor, price } from './catalog.js'
import type { FxTable } from './fx.js'
import type { CustomerModel, LineModel } from './model.js'
import { addMonthKey, monthKey, monthStart } from './time.js'

/** A line's contribution to MRR while it runs, in the customer's currency (major units), per mrr-policy v1. */
export interface MrrSegment {
  start: number
  end: number
  /** Major units of the line's currency per month, signed. */
  monthly: number
  currency: Currency
}

/**
 * mrr-policy v1 on the generator's own lines: a recurring licensed line on a paid or open invoice
 * with a non-zero gross amount contributes over [period.start, period.end) its price's monthly
 * run-rate (unit × quantity ÷ months per interval) × its net share (gross − discounts − inclusive
 * tax) ÷ gross, with the line's sign.
 */
export function mrrSegments(customer: CustomerModel): MrrSegment[] {
  const out: MrrSegment[] = []
  for (const inv of customer.invoices) {
    if (inv.status !== 'paid' && inv.status !== 'open') continue
    for (const l of inv.lines) {
      const seg = lineSegment(l, customer.currency)
      if (seg) out.push(seg)
    }
  }
  return out
}

export function lineSegment(l: LineModel, currency: Currency): MrrSegment | null {
  if (l.kind !== 'subscription' && l.kind !== 'proration') return null
  if (l.amount === 0) return null
  const p = price(l.priceKey)
  if (p.type !== 'recurring' || p.usageType !== 'licensed') return null
  const discount = l.discounts.reduce((s, d) => s + d.amount, 0)
  const inclusiveTax = l.tax?.inclusive ? l.tax.amount : 0
  const netShare = (l.amount - discount - inclusiveTax) / l.amount
  const monthly = ((p.unitAmount * l.quantity) / intervalMonths(p)) * netShare * Math.sign(l.amount)
  return { start: l.periodStart, end: l.periodEnd, monthly: monthly / minorPerMajor(currency), currency }
}

/** MRR in USD at the last instant of `month` (FX at each line's period start). */
export function mrrAt(segments: MrrSegment[], month: string, fx: FxTable): number {
  const next = monthStart(addMonthKey(month, 1))
  let total = 0
  for (const s of segments) {
    if (s.start < next && s.end >= next) total += s.monthly * fx.rate(s.currency, s.start)
  }
  return total
}

export interface MonthTotals {
  mrr: number
  active: number
  new: number
  expansion: number
  contraction: number
  churned: number
  reactivation: number
}

export function emptyTotals(): MonthTotals {
  return { mrr: 0, active: 0, new: 0, expansion: 0, contraction: 0, churned: 0, reactivation: 0 }
}

/** Rounds away float noise so a customer at exactly zero is zero. */
export function cents(x: number): number {
  return Math.round(x * 1e6) / 1e6
}

/** Customer MRR per month from its first month with MRR through `lastMonth`, and the movements. */
export function customerSeries(
  customer: CustomerModel,
  fx: FxTable,
  lastMonth: string,
): { month: string; mrr: number }[] {
  const segments = mrrSegments(customer)
  if (segments.length === 0) return []
  const first = monthKey(Math.min(...segments.map((s) => s.start)))
  const out: { month: string; mrr: number }[] = []
  let started = false
  for (let m = first; m <= lastMonth; m = addMonthKey(m, 1)) {
    const v = cents(mrrAt(segments, m, fx))
    if (!started && v <= 0) continue
    started = true
    out.push({ month: m, mrr: v })
  }
  return out
}

/** Adds a customer's series to the month totals with the movement precedence of METRICS.md. */
export function addMovements(
  series: { month: string; mrr: number }[],
  totals: Map<string, MonthTotals>,
): void {
  let prev = 0
  let everPaid = false
  for (const { month, mrr } of series) {
    const t = totals.get(month) ?? emptyTotals()
    totals.set(month, t)
    t.mrr += mrr
    if (mrr > 0) t.active++
    if (mrr > 0 && !everPaid) t.new += mrr
    else if (prev > 0 && mrr <= 0) t.churned += prev
    else if (prev <= 0 && mrr > 0) t.reactivation += mrr
    else if (mrr > prev) t.expansion += mrr - prev
    else if (mrr < prev) t.contraction += prev - mrr
    if (mrr > 0) everPaid = true
    prev = mrr
  }
}
