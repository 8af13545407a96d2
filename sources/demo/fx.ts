import type { Currency } from './catalog.js'
import { Rng } from './prng.js'
import { DAY, dateKey } from './time.js'

/**
 * Daily FX rates to the reporting currency (USD per one major unit: 1 EUR ≈ 1.08 USD,
 * 1 JPY ≈ 0.0068 USD), a bounded random walk so the same seed gives the same rates.
 */
export class FxTable {
  private readonly rates = new Map<string, number>()
  readonly days: string[] = []

  constructor(seed: number, from: number, to: number) {
    const rng = Rng.derive(seed, 'fx')
    let eur = 1.08
    let jpy = 0.0068
    for (let t = from; t < to; t += DAY) {
      eur = Math.min(1.16, Math.max(1.0, eur * (1 + rng.normal() * 0.003)))
      jpy = Math.min(0.0076, Math.max(0.0062, jpy * (1 + rng.normal() * 0.004)))
      const day = dateKey(t)
      this.days.push(day)
      this.rates.set(`eur:${day}`, Number(eur.toFixed(6)))
      this.rates.set(`jpy:${day}`, Number(jpy.toFixed(8)))
    }
  }

  /** USD per major unit of `currency` on the UTC day of `t`. */
  rate(currency: Currency, t: number): number {
    if (currency === 'usd') return 1
    const r = this.rates.get(`${currency}:${dateKey(t)}`)
    if (r === undefined) throw new Error(`no ${currency} rate for ${dateKey(t)}`)
    return r
  }

  rateOnDay(currency: Currency, day: string): number {
    if (currency === 'usd') return 1
    return this.rates.get(`${currency}:${day}`) ?? Number.NaN
  }
}
