/**
 * The demo company's price book: per-seat plans in USD, EUR and JPY (JPY is zero-decimal, so its
 * amounts are whole yen), monthly, quarterly (month × 3) and annual intervals, one tax-inclusive
 * price, a metered add-on and a one-time onboarding fee. Amounts are in the currency's minor unit.
 */

export type Currency = 'usd' | 'eur' | 'jpy'
export type Interval = 'month' | 'year'
export type Tier = 'starter' | 'growth' | 'scale'

export interface ProductDef {
  key: string
  name: string
  description: string
  unitLabel: string | null
}

export interface PriceDef {
  key: string
  product: string
  currency: Currency
  unitAmount: number
  type: 'recurring' | 'one_time'
  interval: Interval | null
  intervalCount: number
  usageType: 'licensed' | 'metered'
  taxBehavior: 'exclusive' | 'inclusive'
  nickname: string
  tier: Tier | null
  /** Monthly price on the same tier used to rank plans (in the price's own currency). */
  active: boolean
}

export const PRODUCTS: readonly ProductDef[] = [
  { key: 'starter', name: 'Starter', description: 'Dashboards for small teams', unitLabel: 'seat' },
  { key: 'growth', name: 'Growth', description: 'Forecasting, cohorts and alerts', unitLabel: 'seat' },
  { key: 'scale', name: 'Scale', description: 'Governed metrics, SSO and audit log', unitLabel: 'seat' },
  { key: 'team_legacy', name: 'Team (legacy)', description: 'Retired 2023 plan', unitLabel: 'seat' },
  {
    key: 'api',
    name: 'API overage',
    description: 'Metered API calls above plan, per 1,000 calls',
    unitLabel: null,
  },
  {
    key: 'onboarding',
    name: 'Onboarding package',
    description: 'One-time implementation services',
    unitLabel: null,
  },
]

function rec(
  key: string,
  product: string,
  currency: Currency,
  unitAmount: number,
  interval: Interval,
  intervalCount: number,
  tier: Tier | null,
  nickname: string,
  extra: Partial<PriceDef> = {},
): PriceDef {
  return {
    key,
    product,
    currency,
    unitAmount,
    type: 'recurring',
    interval,
    intervalCount,
    usageType: 'licensed',
    taxBehavior: 'exclusive',
    nickname,
    tier,
    active: true,
    ...extra,
  }
}

export const PRICES: readonly PriceDef[] = [
  rec('starter_usd_m', 'starter', 'usd', 2500, 'month', 1, 'starter', 'Starter monthly'),
  rec('starter_usd_y', 'starter', 'usd', 25000, 'year', 1, 'starter', 'Starter annual'),
  rec('growth_usd_m', 'growth', 'usd', 6000, 'month', 1, 'growth', 'Growth monthly'),
  rec('growth_usd_q', 'growth', 'usd', 17000, 'month', 3, 'growth', 'Growth quarterly'),
  rec('growth_usd_y', 'growth', 'usd', 60000, 'year', 1, 'growth', 'Growth annual'),
  rec('scale_usd_m', 'scale', 'usd', 11000, 'month', 1, 'scale', 'Scale monthly'),
  rec('scale_usd_y', 'scale', 'usd', 110000, 'year', 1, 'scale', 'Scale annual'),
  rec('scale_usd_2y', 'scale', 'usd', 200000, 'year', 2, 'scale', 'Scale two-year'),
  rec('starter_eur_m', 'starter', 'eur', 2400, 'month', 1, 'starter', 'Starter monthly EUR'),
  rec('growth_eur_m', 'growth', 'eur', 5500, 'month', 1, 'growth', 'Growth monthly EUR'),
  rec('growth_eur_m_incl', 'growth', 'eur', 6500, 'month', 1, 'growth', 'Growth monthly EUR (VAT incl.)', {
    taxBehavior: 'inclusive',
  }),
  rec('growth_eur_y', 'growth', 'eur', 55000, 'year', 1, 'growth', 'Growth annual EUR'),
  rec('scale_eur_y', 'scale', 'eur', 100000, 'year', 1, 'scale', 'Scale annual EUR'),
  rec('starter_jpy_m', 'starter', 'jpy', 3500, 'month', 1, 'starter', 'Starter monthly JPY'),
  rec('growth_jpy_m', 'growth', 'jpy', 8800, 'month', 1, 'growth', 'Growth monthly JPY'),
  rec('growth_jpy_y', 'growth', 'jpy', 88000, 'year', 1, 'growth', 'Growth annual JPY'),
  rec('scale_jpy_m', 'scale', 'jpy', 16000, 'month', 1, 'scale', 'Scale monthly JPY'),
  rec('team_usd_m', 'team_legacy', 'usd', 4000, 'month', 1, 'growth', 'Team monthly (legacy)', {
    active: false,
  }),
  rec('api_usd', 'api', 'usd', 100, 'month', 1, null, 'API overage per 1k calls', { usageType: 'metered' }),
  {
    key: 'onboarding_usd',
    product: 'onboarding',
    currency: 'usd',
    unitAmount: 150000,
    type: 'one_time',
    interval: null,
    intervalCount: 1,
    usageType: 'licensed',
    taxBehavior: 'exclusive',
    nickname: 'Onboarding',
    tier: null,
    active: true,
  },
]

export const PRICE_BY_KEY: ReadonlyMap<string, PriceDef> = new Map(PRICES.map((p) => [p.key, p]))

export function price(key: string): PriceDef {
  const p = PRICE_BY_KEY.get(key)
  if (!p) throw new Error(`unknown price ${key}`)
  return p
}

/** Recurring licensed plan prices a new subscription may use, per currency. */
export function planPrices(currency: Currency): PriceDef[] {
  return PRICES.filter(
    (p) => p.currency === currency && p.type === 'recurring' && p.usageType === 'licensed' && p.active,
  )
}

/** Months in one billing interval of a recurring price (year = 12, interval_count multiplies). */
export function intervalMonths(p: PriceDef): number {
  return (p.interval === 'year' ? 12 : 1) * p.intervalCount
}

export const ZERO_DECIMAL: ReadonlySet<Currency> = new Set(['jpy'])

/** Minor units per major unit: 100 for USD/EUR, 1 for JPY. */
export function minorPerMajor(currency: Currency): number {
  return ZERO_DECIMAL.has(currency) ? 1 : 100
}

export interface CouponDef {
  key: string
  name: string
  duration: 'once' | 'repeating' | 'forever'
  durationInMonths: number | null
  percentOff: number | null
  amountOff: number | null
  currency: Currency | null
}

export const COUPONS: readonly CouponDef[] = [
  {
    key: 'WELCOME20',
    name: '20% off first invoice',
    duration: 'once',
    durationInMonths: null,
    percentOff: 20,
    amountOff: null,
    currency: null,
  },
  {
    key: 'LAUNCH3M',
    name: '25% off for 3 months',
    duration: 'repeating',
    durationInMonths: 3,
    percentOff: 25,
    amountOff: null,
    currency: null,
  },
  {
    key: 'NONPROFIT',
    name: 'Nonprofit 15% forever',
    duration: 'forever',
    durationInMonths: null,
    percentOff: 15,
    amountOff: null,
    currency: null,
  },
  {
    key: 'SAVE50USD',
    name: '$50 off for 6 months',
    duration: 'repeating',
    durationInMonths: 6,
    percentOff: null,
    amountOff: 5000,
    currency: 'usd',
  },
  {
    key: 'PARTNER10',
    name: '$10 off forever',
    duration: 'forever',
    durationInMonths: null,
    percentOff: null,
    amountOff: 1000,
    currency: 'usd',
  },
]

export interface TaxRateDef {
  key: string
  displayName: string
  jurisdiction: string
  percentage: number
  inclusive: boolean
}

export const TAX_RATES: readonly TaxRateDef[] = [
  { key: 'us_ny', displayName: 'Sales Tax', jurisdiction: 'US - NY', percentage: 8.875, inclusive: false },
  { key: 'de_vat', displayName: 'VAT', jurisdiction: 'DE', percentage: 19, inclusive: false },
  { key: 'de_vat_incl', displayName: 'VAT', jurisdiction: 'DE', percentage: 19, inclusive: true },
  { key: 'jp_ct', displayName: 'JCT', jurisdiction: 'JP', percentage: 10, inclusive: false },
]
