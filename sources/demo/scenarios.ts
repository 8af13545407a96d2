import type { ChangeScript, SubScript } from './billing.js'
import { type Currency, intervalMonths, type PriceDef, planPrices, price, type Tier } from './catalog.js'
import type { Rng } from './prng.js'
import { addMonthsAnchored, businessHours, DAY } from './time.js'

export type Motion = 'sales' | 'self_serve'

const TIER_ORDER: Tier[] = ['starter', 'growth', 'scale']

function pickPlan(rng: Rng, currency: Currency, motion: Motion): PriceDef {
  const plans = planPrices(currency).filter((p) => p.taxBehavior === 'exclusive' || rng.chance(0.5))
  const weight = (p: PriceDef): number => {
    const tier = TIER_ORDER.indexOf(p.tier ?? 'starter')
    const annual = p.interval === 'year'
    if (motion === 'self_serve')
      return (tier === 0 ? 6 : tier === 1 ? 3 : 0.3) * (annual ? 0.3 : p.intervalCount > 1 ? 0.3 : 1)
    return (
      (tier === 0 ? 0.5 : tier === 1 ? 3 : 2) *
      (annual ? (p.intervalCount > 1 ? 0.3 : 2) : p.intervalCount > 1 ? 0.5 : 1)
    )
  }
  return rng.weighted(plans.map((p) => [p, weight(p)] as const))
}

function higherTier(currency: Currency, p: PriceDef): PriceDef | null {
  const idx = TIER_ORDER.indexOf(p.tier ?? 'starter')
  const next = planPrices(currency).find(
    (q) =>
      q.tier === TIER_ORDER[idx + 1] &&
      q.interval === p.interval &&
      q.intervalCount === p.intervalCount &&
      q.taxBehavior === p.taxBehavior,
  )
  return next ?? null
}

function annualOf(currency: Currency, p: PriceDef): PriceDef | null {
  return (
    planPrices(currency).find(
      (q) =>
        q.tier === p.tier &&
        q.interval === 'year' &&
        q.intervalCount === 1 &&
        q.taxBehavior === p.taxBehavior,
    ) ?? null
  )
}

/**
 * What happens to one subscription over its life: plan, seats, trial, coupon, upgrades and
 * downgrades (mid-period with prorations for USD; at renewal otherwise, so FX never leaves a
 * proration residue), pauses, payment trouble, and how it ends.
 */
export function subscriptionScript(
  rng: Rng,
  motion: Motion,
  currency: Currency,
  start: number,
  exportAt: number,
  options: { trial?: boolean; forceLegacyPrice?: boolean } = {},
): SubScript {
  let plan = pickPlan(rng, currency, motion)
  if (options.forceLegacyPrice && currency === 'usd' && rng.chance(0.3)) plan = price('team_usd_m')
  const quantity = motion === 'self_serve' ? rng.int(1, 6) : rng.int(5, 60)
  const months = intervalMonths(plan)
  const tags: string[] = [`plan:${plan.key}`]
  const trial = options.trial ?? false
  const trialConverts = trial ? rng.chance(0.62) : true
  const usd = currency === 'usd'
  if (trial) tags.push(trialConverts ? 'trial_converted' : 'trial_not_converted')

  let coupon: string | null = null
  if (rng.chance(motion === 'self_serve' ? 0.18 : 0.1)) {
    const options2 =
      usd && months === 1
        ? ['WELCOME20', 'LAUNCH3M', 'NONPROFIT', 'SAVE50USD', 'PARTNER10']
        : ['WELCOME20', 'LAUNCH3M', 'NONPROFIT']
    coupon = rng.pick(options2)
    tags.push(`coupon:${coupon}`)
  }
  const amountOffCoupon = coupon === 'SAVE50USD' || coupon === 'PARTNER10'

  const billingStart = start + (trial ? 14 * DAY : 0)
  const at = (fromPeriodStart: number, fraction: number): number =>
    businessHours(fromPeriodStart + Math.floor(fraction * months * 28 * DAY), rng.int(0, 59))
  const periodStart = (k: number) => addMonthsAnchored(billingStart, k * months)

  const changes: ChangeScript[] = []
  let current = plan
  let seats = quantity
  const lifetimeRenewals = Math.max(1, Math.ceil((exportAt - billingStart) / (months * 30 * DAY)))
  if (!amountOffCoupon && trialConverts) {
    const nChanges = rng.weighted([
      [0, 5],
      [1, 3],
      [2, 1.5],
      [3, 0.5],
    ] as const)
    let k = 0
    for (let i = 0; i < nChanges; i++) {
      k += rng.int(1, Math.max(1, Math.floor(lifetimeRenewals / (nChanges + 1))))
      if (k >= lifetimeRenewals) break
      const kind = rng.weighted([
        ['seats_up', 4],
        ['tier_up', 2],
        ['seats_down', 2],
        ['to_annual', months === 1 && usd ? 1 : 0],
      ] as const)
      const mode: ChangeScript['mode'] = !usd
        ? 'at_renewal'
        : kind === 'seats_down'
          ? rng.pick(['create_prorations', 'at_renewal'] as const)
          : 'always_invoice'
      const when =
        mode === 'at_renewal' ? at(periodStart(k), 0.5) : at(periodStart(k), 0.15 + rng.next() * 0.6)
      if (kind === 'seats_up') {
        seats += rng.int(1, Math.max(2, Math.round(seats * 0.5)))
        changes.push({ at: when, quantity: seats, mode })
        tags.push('upgrade_seats')
      } else if (kind === 'seats_down' && seats > 1) {
        seats = Math.max(1, seats - rng.int(1, Math.max(1, Math.round(seats * 0.4))))
        changes.push({ at: when, quantity: seats, mode })
        tags.push(mode === 'create_prorations' ? 'downgrade_prorated_next_invoice' : 'downgrade_at_renewal')
      } else if (kind === 'tier_up') {
        const next = higherTier(currency, current)
        if (next) {
          current = next
          changes.push({ at: when, priceKey: next.key, mode })
          tags.push('upgrade_tier')
        }
      } else if (kind === 'to_annual') {
        const annual = annualOf(currency, current)
        if (annual) {
          current = annual
          changes.push({ at: when, priceKey: annual.key, mode: 'always_invoice' })
          tags.push('switch_to_annual')
          break
        }
      }
    }
  }

  let end: SubScript['end'] = null
  let pause: SubScript['pause'] = null
  let dunning: SubScript['dunning'] = null
  if (trialConverts) {
    const churnMonthly = motion === 'self_serve' ? 0.03 : 0.012
    const life = Math.ceil(rng.exp(1 / churnMonthly) * 30 * DAY)
    const endAt = billingStart + life
    if (endAt < exportAt + 60 * DAY) {
      const periodsBefore = Math.max(0, Math.floor(life / (months * 30 * DAY)))
      if (usd && rng.chance(0.3) && changes.length === 0) {
        end = { kind: 'immediate', at: at(periodStart(periodsBefore), 0.2 + rng.next() * 0.6) }
        tags.push('immediate_cancel')
      } else {
        end = { kind: 'at_period_end', requestedAt: at(periodStart(periodsBefore), 0.1 + rng.next() * 0.7) }
        tags.push('cancel_at_period_end')
      }
    }
    if (!end && months === 1 && rng.chance(0.05)) {
      pause = { fromPeriod: rng.int(2, Math.max(2, lifetimeRenewals - 1)), periods: rng.int(1, 3) }
      tags.push('paused')
    }
    if (!pause && rng.chance(0.07)) {
      const outcome = rng.weighted([
        ['recover', 6],
        ['cancel', 2],
        ['unpaid', 1],
      ] as const)
      dunning = { period: rng.int(1, Math.max(1, lifetimeRenewals)), outcome }
      tags.push(`dunning_${outcome}`)
    }
  }
  return {
    start,
    priceKey: plan.key,
    quantity,
    meteredAddon: usd && months === 1 && plan.tier !== 'starter' && rng.chance(0.15),
    onboardingFee: motion === 'sales' && usd && rng.chance(0.3),
    trialDays: trial ? 14 : null,
    trialConverts,
    trialEndBehavior: rng.chance(0.3) ? 'pause' : 'cancel',
    couponKey: coupon,
    changes,
    end,
    pause,
    dunning,
    tags,
    metadata: { plan_family: plan.tier ?? 'other', motion },
  }
}
