import { z } from 'zod'
import { UserError } from '../../core/errors.js'
import { loadPullEnv, optionalBaseUrl, optionalText } from '../landing/pull-credentials.js'
import type { Json, PulledPage, PullFeed } from '../landing/pull-feed.js'
import type { PullRun } from '../landing/pull-run.js'
import type { SourcePull } from '../landing/pull-source.js'
import type { PullWindow } from '../landing/pull-state.js'
import { googleAds } from './pull-ads-google.js'
import { linkedInAds } from './pull-ads-linkedin.js'
import { metaAds } from './pull-ads-meta.js'

const days = (fallback: number) => z.coerce.number().int().min(1).max(1000).default(fallback)

/**
 * Settings of an ads pull (env, or the secret named by REVOPS_SECRET_ARN). Each platform whose
 * account and token are set is pulled; base URLs are for proxies and tests.
 */
export const AdsPullEnv = z.object({
  /** Days re-pulled every run: platforms restate recent spend. */
  ADS_LOOKBACK_DAYS: days(28),
  /** Days pulled by the first run of a platform. */
  ADS_FIRST_PULL_DAYS: days(90),
  GOOGLE_ADS_CUSTOMER_ID: optionalText(),
  GOOGLE_ADS_LOGIN_CUSTOMER_ID: optionalText(),
  GOOGLE_ADS_DEVELOPER_TOKEN: optionalText(),
  GOOGLE_ADS_ACCESS_TOKEN: optionalText(),
  GOOGLE_ADS_CLIENT_ID: optionalText(),
  GOOGLE_ADS_CLIENT_SECRET: optionalText(),
  GOOGLE_ADS_REFRESH_TOKEN: optionalText(),
  GOOGLE_ADS_API_BASE_URL: optionalBaseUrl().default('https://googleads.googleapis.com'),
  GOOGLE_ADS_API_VERSION: z
    .string()
    .regex(/^v\d+$/)
    .default('v21'),
  GOOGLE_OAUTH_TOKEN_URL: optionalBaseUrl().default('https://oauth2.googleapis.com/token'),
  META_AD_ACCOUNT_ID: optionalText(),
  META_ACCESS_TOKEN: optionalText(),
  META_API_BASE_URL: optionalBaseUrl().default('https://graph.facebook.com'),
  META_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/)
    .default('v21.0'),
  LINKEDIN_AD_ACCOUNT_ID: optionalText(),
  LINKEDIN_ACCESS_TOKEN: optionalText(),
  LINKEDIN_API_BASE_URL: optionalBaseUrl().default('https://api.linkedin.com'),
  LINKEDIN_API_VERSION: z
    .string()
    .regex(/^\d{6}$/)
    .default('202501'),
})
export type AdsPullEnv = z.infer<typeof AdsPullEnv>

/** `revops pull ads` and the ads Lambda; --full-refresh re-pulls ADS_FIRST_PULL_DAYS days. */
export const adsSourcePull: SourcePull = {
  source: 'ads',
  async pull(run, env, options) {
    const config = await loadPullEnv(AdsPullEnv, env, {
      source: 'ads',
      ...(options.secrets ? { secrets: options.secrets } : {}),
    })
    await pullAds(run, config, { fullRefresh: options.fullRefresh })
  },
}

/** One ad platform's daily campaign report. */
export interface AdsPlatform {
  readonly entity: 'google_ads' | 'meta_ads' | 'linkedin_ads'
  /** The rows of one day (YYYY-MM-DD), shaped like the platform's export file (CONTRACT.md). */
  day(date: string): Promise<Record<string, unknown>[]>
}

const DAY_MS = 86_400_000
const Resume = z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })

/**
 * Ads spend, a rolling re-pull: every run pulls the last ADS_LOOKBACK_DAYS days (back to the
 * watermark if runs were missed) day by day, each day whole in one checkpoint. A day whose report
 * did not change is found already landed; a restated day lands whole again, so staging replaces
 * the day by its latest landing. One small fetch-based client serves the three platforms: their
 * reports are a request each, official SDKs exist only for Meta (and would weigh on the Lambda
 * bundle), and one client gives all three the same retry, deadline and Retry-After handling.
 */
export async function pullAds(
  run: PullRun,
  env: AdsPullEnv,
  options: { fullRefresh?: boolean } = {},
): Promise<void> {
  const platforms = [googleAds(run, env), metaAds(run, env), linkedInAds(run, env)]
  checkPartial(env)
  const configured = platforms.filter((p): p is AdsPlatform => p !== null)
  if (configured.length === 0) {
    throw new UserError('no ad platform is configured', {
      hint: 'set GOOGLE_ADS_CUSTOMER_ID + GOOGLE_ADS_DEVELOPER_TOKEN + a token, META_AD_ACCOUNT_ID + META_ACCESS_TOKEN, or LINKEDIN_AD_ACCOUNT_ID + LINKEDIN_ACCESS_TOKEN',
    })
  }
  for (const entity of ['google_ads', 'meta_ads', 'linkedin_ads'] as const) {
    if (!configured.some((p) => p.entity === entity)) run.note(`ads: ${entity} is not configured`)
  }
  for (const platform of configured) {
    const status = await run.feed({
      ...platformFeed(run, env, platform),
      fromBeginning: options.fullRefresh === true,
    })
    if (status !== 'complete' && status !== 'up_to_date') return
  }
}

function platformFeed(run: PullRun, env: AdsPullEnv, platform: AdsPlatform): PullFeed {
  return {
    name: platform.entity,
    entities: [platform.entity],
    pagesPerCheckpoint: 1,
    // Today's report is still growing; it is pulled again tomorrow.
    windowTo: (now) => now,
    windowFrom: (oldest, now) => {
      const today = startOfDay(now.getTime())
      const lookback = today - (env.ADS_LOOKBACK_DAYS - 1) * DAY_MS
      if (oldest === null) return new Date(today - (env.ADS_FIRST_PULL_DAYS - 1) * DAY_MS)
      return new Date(Math.min(lookback, startOfDay(oldest.getTime() - run.settings.overlapMs)))
    },
    async *pages(window: PullWindow, resume: Json | null): AsyncGenerator<PulledPage> {
      const first =
        resume === null
          ? startOfDay(Date.parse(window.from ?? window.to))
          : Date.parse(Resume.parse(resume).day)
      const last = startOfDay(Date.parse(window.to))
      for (let day = first; day <= last; day += DAY_MS) {
        const date = new Date(day).toISOString().slice(0, 10)
        const rows = await platform.day(date)
        const next = day + DAY_MS <= last ? { day: new Date(day + DAY_MS).toISOString().slice(0, 10) } : null
        yield { records: rows.map((value) => ({ entity: platform.entity, value, position: null })), next }
      }
    },
  }
}

/** An account without its token (or the reverse) is a mistake, not "not configured". */
function checkPartial(env: AdsPullEnv): void {
  const pairs: [string, string | undefined, string, boolean][] = [
    [
      'GOOGLE_ADS_CUSTOMER_ID',
      env.GOOGLE_ADS_CUSTOMER_ID,
      'GOOGLE_ADS_DEVELOPER_TOKEN and GOOGLE_ADS_ACCESS_TOKEN (or GOOGLE_ADS_REFRESH_TOKEN with GOOGLE_ADS_CLIENT_ID and GOOGLE_ADS_CLIENT_SECRET)',
      Boolean(
        env.GOOGLE_ADS_DEVELOPER_TOKEN &&
          (env.GOOGLE_ADS_ACCESS_TOKEN ||
            (env.GOOGLE_ADS_REFRESH_TOKEN && env.GOOGLE_ADS_CLIENT_ID && env.GOOGLE_ADS_CLIENT_SECRET)),
      ),
    ],
    ['META_AD_ACCOUNT_ID', env.META_AD_ACCOUNT_ID, 'META_ACCESS_TOKEN', Boolean(env.META_ACCESS_TOKEN)],
    [
      'LINKEDIN_AD_ACCOUNT_ID',
      env.LINKEDIN_AD_ACCOUNT_ID,
      'LINKEDIN_ACCESS_TOKEN',
      Boolean(env.LINKEDIN_ACCESS_TOKEN),
    ],
  ]
  for (const [account, value, needs, ok] of pairs) {
    if (value !== undefined && !ok) throw new UserError(`${account} is set but ${needs} is missing`)
  }
}

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS
}
