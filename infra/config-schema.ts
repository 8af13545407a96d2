import { z } from 'zod'

/**
 * The deployment configuration of the CDK app. Every value has a default in `infra/config.ts`;
 * the CDK context key `revops` overrides any part of it. Unknown keys are rejected so that a typo
 * fails synth instead of being ignored.
 */

const NAME = /^[a-z][a-z0-9_]*$/
const DATE = /^\d{4}-\d{2}-\d{2}$/

/** Athena refuses a per-query cutoff under 10 MB (API reference: `BytesScannedCutoffPerQuery`, minimum 10000000). */
export const MIN_BYTES_SCANNED_CUTOFF = 10_000_000
/** Athena's longest result reuse age: 7 days. */
export const MAX_RESULT_REUSE_MINUTES = 10_080

const days = z.number().int().min(1, 'must be at least 1 day').max(36_500, 'must be at most 36500 days')

const cutoff = z
  .number()
  .int()
  .min(
    MIN_BYTES_SCANNED_CUTOFF,
    `must be at least ${MIN_BYTES_SCANNED_CUTOFF} bytes (Athena's minimum, 10 MB)`,
  )
  .max(Number.MAX_SAFE_INTEGER)

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/
const CRON = /^cron\((.+)\)$/

/** Why an EventBridge Scheduler expression is invalid, or undefined when it is fine. */
export function scheduleProblem(expression: string): string | undefined {
  const rate = RATE.exec(expression)
  if (rate) {
    const value = Number(rate[1])
    const unit = rate[2] ?? ''
    if (value < 1) return 'rate value must be at least 1'
    if ((value === 1) !== !unit.endsWith('s')) {
      return `use the ${value === 1 ? 'singular' : 'plural'} unit: rate(${value} ${value === 1 ? unit.replace(/s$/, '') : unit.replace(/s?$/, 's')})`
    }
    return undefined
  }
  const cron = CRON.exec(expression)
  if (cron) {
    const fields = (cron[1] ?? '').trim().split(/\s+/)
    if (fields.length !== 6) {
      return `cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`
    }
    if ((fields[2] === '?') === (fields[4] === '?')) {
      return 'cron needs "?" in exactly one of day-of-month and day-of-week'
    }
    return undefined
  }
  return 'must be rate(<n> <unit>) or cron(<6 fields>) (EventBridge Scheduler)'
}

const schedule = z.string().superRefine((value, ctx) => {
  const problem = scheduleProblem(value)
  if (problem) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)}: ${problem}` })
})

const timezone = z.string().refine(
  (value) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value })
      return true
    } catch {
      return false
    }
  },
  { message: 'must be an IANA time zone such as UTC or Europe/Berlin' },
)

/** CloudWatch alarms evaluate at most 7 days of data. */
export const MAX_LAG_ALARM_MINUTES = 10_080

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const

export const SourceConfig = z.strictObject({
  /** Disabled sources get no raw tables, no ingestion function and no schedule. */
  enabled: z.boolean(),
  /** When the source is pulled; null for sources that arrive as file drops in the landing bucket. */
  schedule: schedule.nullable(),
  /**
   * The watermark lag alarm fires when the stalest entity's watermark is older than this, or
   * when no pull reported for that long. Needed for pulled sources: at least 2 schedule periods.
   */
  lagAlarmMinutes: z
    .number()
    .int()
    .min(60, 'must be at least 60 minutes')
    .max(
      MAX_LAG_ALARM_MINUTES,
      `must be at most ${MAX_LAG_ALARM_MINUTES} minutes (CloudWatch evaluates 7 days at most)`,
    )
    .nullable()
    .optional(),
  /** One raw table per entity. */
  entities: z
    .array(z.string().regex(NAME, 'must be lower_snake_case'))
    .min(1, 'a source needs at least one entity')
    .refine((list) => new Set(list).size === list.length, { message: 'entities must be unique' }),
})
export type SourceConfig = z.infer<typeof SourceConfig>

export const TransformConfig = z.strictObject({
  /** When the build state machine starts (after the pulls); null to start it only by hand. */
  schedule: schedule.nullable(),
  /**
   * The revenue policy of the deployed builds (a preset label such as `stripe-billing v1`); null
   * for the project's own choice (`revops.config.json`, bundled with the build, else mrr-policy v1).
   */
  revenuePolicy: z.string().min(1).nullable(),
})

export const WorkgroupConfig = z.strictObject({
  /** Athena cancels (and still bills) a query of this workgroup once it has scanned this many bytes. */
  bytesScannedCutoffPerQuery: cutoff,
})

export const RevopsConfig = z
  .strictObject({
    /** 12-digit account; falls back to CDK_DEFAULT_ACCOUNT, else the stacks are account-agnostic. */
    account: z
      .string()
      .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
      .optional(),
    /** Falls back to CDK_DEFAULT_REGION, else the stacks are region-agnostic. */
    region: z
      .string()
      .regex(/^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/, 'must be an AWS region such as us-east-1')
      .optional(),
    /** Starts every resource name: buckets, stacks, workgroups; Glue databases use it with `_`. */
    namePrefix: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/,
        'must be 2-20 characters of a-z, 0-9 and "-", starting with a letter',
      ),
    /** `retain` keeps the key, buckets and Glue databases when a stack is deleted. */
    removalPolicy: z.enum(['retain', 'destroy']),
    retention: z.strictObject({
      /** Athena results expire after this many days (must outlive the `bi` result reuse age). */
      athenaResultsDays: days,
      /** Rejected records under `quarantine/` expire after this many days. */
      quarantineDays: days,
      accessLogsDays: days,
      /** Overwritten or deleted versions in the versioned landing and raw buckets. */
      noncurrentVersionDays: days,
      /** Raw moves to Intelligent-Tiering (instant-access tiers only) after this many days. */
      rawIntelligentTieringDays: z.number().int().min(0).max(36_500),
      abortIncompleteUploadDays: days,
      /** Log groups of the functions and the build state machine. */
      logDays: z.number().refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
        message: `must be one of CloudWatch Logs' retention periods: ${LOG_RETENTION_DAYS.join(', ')}`,
      }),
    }),
    /** First `ingest_date` the raw tables project (partition projection range start). */
    rawProjectionStart: z
      .string()
      .regex(DATE, 'must be YYYY-MM-DD')
      .refine(
        (value) => {
          const date = new Date(`${value}T00:00:00Z`)
          return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)
        },
        { message: 'must be a real calendar date' },
      ),
    workgroups: z.strictObject({
      etl: WorkgroupConfig,
      bi: WorkgroupConfig.extend({
        /** Result reuse age for BI queries; Athena sets reuse per query, so the metric API passes it. */
        resultReuseMaxAgeMinutes: z.number().int().min(1).max(MAX_RESULT_REUSE_MINUTES),
      }),
      adhoc: WorkgroupConfig,
    }),
    /** Time zone of the cron schedules. */
    scheduleTimezone: timezone,
    sources: z.record(z.string().regex(NAME, 'source names must be lower_snake_case'), SourceConfig),
    transform: TransformConfig,
    /** Where alarm notifications go (an email subscription to the alarm topic); null for none. */
    alarmEmail: z.email('must be an email address').nullable(),
  })
  .superRefine((config, ctx) => {
    for (const [name, source] of Object.entries(config.sources)) {
      if (source.enabled && source.schedule !== null && (source.lagAlarmMinutes ?? null) === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['sources', name, 'lagAlarmMinutes'],
          message: 'a pulled source needs its watermark lag alarm threshold (minutes)',
        })
      }
    }
    const reuseDays = Math.ceil(config.workgroups.bi.resultReuseMaxAgeMinutes / 1440)
    if (config.retention.athenaResultsDays < reuseDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['retention', 'athenaResultsDays'],
        message: `must be at least ${reuseDays} day(s): results must outlive workgroups.bi.resultReuseMaxAgeMinutes`,
      })
    }
  })
export type RevopsConfig = z.infer<typeof RevopsConfig>
