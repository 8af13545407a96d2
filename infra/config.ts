import { UserError } from '../core/errors.js'
import { RevopsConfig } from './config-schema.js'

export { RevopsConfig } from './config-schema.js'

const GiB = 1024 ** 3

/**
 * The defaults. Override any part in cdk.json (`"context": {"revops": {...}}`) or on the command
 * line (`npx cdk synth -c 'revops={"removalPolicy":"destroy"}'`); objects merge key by key, lists
 * replace.
 */
export const DEFAULT_CONFIG = {
  namePrefix: 'revops',
  removalPolicy: 'retain',
  retention: {
    athenaResultsDays: 30,
    quarantineDays: 90,
    accessLogsDays: 365,
    noncurrentVersionDays: 90,
    rawIntelligentTieringDays: 30,
    abortIncompleteUploadDays: 1,
    logDays: 30,
  },
  rawProjectionStart: '2020-01-01',
  workgroups: {
    // Builds read raw history and rewrite tables; one query above this is a runaway, not a build.
    etl: { bytesScannedCutoffPerQuery: 100 * GiB },
    // Dashboards read marts and metric views, which are small.
    bi: { bytesScannedCutoffPerQuery: 5 * GiB, resultReuseMaxAgeMinutes: 60 },
    adhoc: { bytesScannedCutoffPerQuery: 20 * GiB },
  },
  scheduleTimezone: 'UTC',
  sources: {
    // Hourly pulls start on the hour, so the build (transform.schedule) knows when they are done.
    stripe: {
      enabled: true,
      schedule: 'cron(0 * * * ? *)',
      lagAlarmMinutes: 180,
      entities: [
        'customers',
        'subscriptions',
        'subscription_items',
        'prices',
        'products',
        'coupons',
        'invoices',
        'invoice_line_items',
        'charges',
        'refunds',
        'credit_notes',
        'events',
      ],
    },
    salesforce: {
      enabled: true,
      schedule: 'cron(0 * * * ? *)',
      lagAlarmMinutes: 180,
      entities: [
        'account',
        'contact',
        'lead',
        'opportunity',
        'opportunity_history',
        'opportunity_field_history',
        'campaign',
        'campaign_member',
        'user',
      ],
    },
    hubspot: {
      enabled: true,
      schedule: 'cron(0 * * * ? *)',
      lagAlarmMinutes: 180,
      entities: ['companies', 'contacts', 'deals', 'deal_pipelines'],
    },
    // Ad platforms settle the previous day's spend overnight.
    ads: {
      enabled: true,
      schedule: 'cron(0 6 * * ? *)',
      // A daily pull up to the last settled day: its watermark is a day or two old by design.
      lagAlarmMinutes: 4320,
      entities: ['google_ads', 'meta_ads', 'linkedin_ads', 'ad_spend'],
    },
    // Finance inputs arrive as file drops in the landing bucket, not on a schedule.
    finance: {
      enabled: true,
      schedule: null,
      entities: ['sm_expense', 'gross_margin', 'quotas', 'fx_rates', 'account_map'],
    },
  },
  transform: {
    // 20 minutes past the hour: after the hourly pulls, which stop starting pages 90 s before
    // their 15-minute limit and continue next hour.
    schedule: 'cron(20 * * * ? *)',
    revenuePolicy: null,
  },
  alarmEmail: null,
} satisfies RevopsConfig

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Objects merge key by key; anything else (lists included) replaces. */
export function mergeConfig(base: unknown, override: unknown): unknown {
  if (!isObject(base) || !isObject(override)) return override === undefined ? base : override
  const merged: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(override)) merged[key] = mergeConfig(base[key], value)
  return merged
}

function contextObject(raw: unknown): unknown {
  if (raw === undefined) return {}
  if (typeof raw !== 'string') return raw
  try {
    return JSON.parse(raw) as Json
  } catch {
    throw new UserError(`invalid revops config: CDK context "revops" is not valid JSON: ${raw}`)
  }
}

/**
 * The configuration for one synth: infra/config.ts defaults, then CDK context `revops`, then the
 * account and region the CDK CLI resolved from credentials (only where the config names none).
 */
export function loadConfig(context: unknown, env: Record<string, string | undefined> = {}): RevopsConfig {
  const override = contextObject(context)
  if (!isObject(override)) {
    throw new UserError('invalid revops config: CDK context "revops" must be a JSON object')
  }
  const merged = mergeConfig(DEFAULT_CONFIG, override)
  const result = RevopsConfig.safeParse(merged)
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  - ${i.path.join('.') || '(config)'}: ${i.message}`)
    throw new UserError(
      `invalid revops config (infra/config.ts defaults + CDK context "revops"):\n${problems.join('\n')}`,
      { hint: 'fix the value in cdk.json "context.revops" or in the -c revops=... override' },
    )
  }
  const config = result.data
  return {
    ...config,
    account: config.account ?? env.CDK_DEFAULT_ACCOUNT,
    region: config.region ?? env.CDK_DEFAULT_REGION,
  }
}
