import { describe, expect, it } from 'vitest'
import { UserError } from '../../core/errors.js'
import { DEFAULT_CONFIG, loadConfig, mergeConfig } from '../../infra/config.js'
import { scheduleProblem } from '../../infra/config-schema.js'

function problemsOf(override: unknown): string {
  try {
    loadConfig(override)
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return (error as Error).message
  }
  throw new Error('expected the config to be rejected')
}

describe('loadConfig', () => {
  it('accepts the defaults: retained, prefixed, every source enabled', () => {
    const config = loadConfig(undefined)
    expect(config.namePrefix).toBe('revops')
    expect(config.removalPolicy).toBe('retain')
    expect(Object.keys(config.sources)).toEqual(['stripe', 'salesforce', 'hubspot', 'ads', 'finance'])
    expect(config.sources.stripe?.entities).toHaveLength(12)
    expect(config.sources.finance?.schedule).toBeNull()
    expect(config.account).toBeUndefined()
  })

  it('merges the context over the defaults key by key, lists replacing', () => {
    const config = loadConfig({
      workgroups: { bi: { resultReuseMaxAgeMinutes: 15 } },
      sources: { hubspot: { entities: ['deals'] }, stripe: { enabled: false } },
    })
    expect(config.workgroups.bi).toEqual({
      bytesScannedCutoffPerQuery: DEFAULT_CONFIG.workgroups.bi.bytesScannedCutoffPerQuery,
      resultReuseMaxAgeMinutes: 15,
    })
    expect(config.sources.hubspot?.entities).toEqual(['deals'])
    expect(config.sources.stripe).toMatchObject({ enabled: false, schedule: 'cron(0 * * * ? *)' })
    expect(mergeConfig({ a: [1, 2], b: { c: 1 } }, { a: [3], b: { d: 2 } })).toEqual({
      a: [3],
      b: { c: 1, d: 2 },
    })
  })

  it('reads a JSON string, as `cdk synth -c revops=...` passes it', () => {
    expect(loadConfig('{"namePrefix":"acme","removalPolicy":"destroy"}')).toMatchObject({
      namePrefix: 'acme',
      removalPolicy: 'destroy',
    })
    expect(problemsOf('{not json')).toMatch(/CDK context "revops" is not valid JSON/)
    expect(problemsOf('[1]')).toMatch(/must be a JSON object/)
  })

  it('takes account and region from the CDK CLI only where the config names none', () => {
    const env = { CDK_DEFAULT_ACCOUNT: '111111111111', CDK_DEFAULT_REGION: 'eu-west-1' }
    expect(loadConfig({}, env)).toMatchObject({ account: '111111111111', region: 'eu-west-1' })
    expect(loadConfig({ account: '222222222222', region: 'us-west-2' }, env)).toMatchObject({
      account: '222222222222',
      region: 'us-west-2',
    })
  })

  it('names every bad value with its path, one per line', () => {
    const message = problemsOf({
      account: '1234',
      namePrefix: 'Rev_Ops',
      workgroups: { bi: { bytesScannedCutoffPerQuery: 1024 } },
      sources: { stripe: { schedule: 'rate(1 hours)' }, ads: { entities: [] } },
    })
    expect(message.split('\n')).toEqual([
      'invalid revops config (infra/config.ts defaults + CDK context "revops"):',
      '  - account: must be a 12-digit AWS account id',
      '  - namePrefix: must be 2-20 characters of a-z, 0-9 and "-", starting with a letter',
      "  - workgroups.bi.bytesScannedCutoffPerQuery: must be at least 10000000 bytes (Athena's minimum, 10 MB)",
      '  - sources.stripe.schedule: "rate(1 hours)": use the singular unit: rate(1 hour)',
      '  - sources.ads.entities: a source needs at least one entity',
    ])
  })

  it('rejects unknown keys, so a typo cannot be silently ignored', () => {
    expect(problemsOf({ retention: { athenaResultDays: 3 } })).toMatch(
      /retention: Unrecognized key: "athenaResultDays"/,
    )
  })

  it('keeps Athena results at least as long as BI may reuse them', () => {
    expect(
      problemsOf({
        retention: { athenaResultsDays: 1 },
        workgroups: { bi: { resultReuseMaxAgeMinutes: 2880 } },
      }),
    ).toMatch(/retention.athenaResultsDays: must be at least 2 day\(s\)/)
  })

  it('starts the build after the hourly pulls by default, and alarms on lag past two pull periods', () => {
    const config = loadConfig(undefined)
    expect(config.transform).toEqual({ schedule: 'cron(20 * * * ? *)', revenuePolicy: null })
    for (const source of ['stripe', 'salesforce', 'hubspot']) {
      expect(config.sources[source]).toMatchObject({ schedule: 'cron(0 * * * ? *)', lagAlarmMinutes: 180 })
    }
    expect(config.sources.ads).toMatchObject({ schedule: 'cron(0 6 * * ? *)', lagAlarmMinutes: 4320 })
    expect(config.sources.finance?.lagAlarmMinutes).toBeUndefined()
    expect(config.retention.logDays).toBe(30)
    expect(config.alarmEmail).toBeNull()
  })

  it('needs a lag alarm threshold for every pulled source, within what CloudWatch evaluates', () => {
    const message = problemsOf({
      sources: {
        finance: { schedule: 'rate(1 day)' },
        stripe: { lagAlarmMinutes: 30 },
        hubspot: { lagAlarmMinutes: 20_000 },
      },
    })
    expect(message).toContain('  - sources.stripe.lagAlarmMinutes: must be at least 60 minutes')
    expect(message).toContain(
      '  - sources.hubspot.lagAlarmMinutes: must be at most 10080 minutes (CloudWatch evaluates 7 days at most)',
    )
    expect(problemsOf({ sources: { finance: { schedule: 'rate(1 day)' } } })).toContain(
      '  - sources.finance.lagAlarmMinutes: a pulled source needs its watermark lag alarm threshold (minutes)',
    )
    expect(
      loadConfig({ sources: { finance: { enabled: false, schedule: 'rate(1 day)' } } }).sources.finance,
    ).toMatchObject({ enabled: false })
  })

  it('checks the build schedule, the log retention and the alarm address', () => {
    expect(
      loadConfig({ transform: { schedule: null, revenuePolicy: 'stripe-billing v1' } }).transform,
    ).toEqual({
      schedule: null,
      revenuePolicy: 'stripe-billing v1',
    })
    const message = problemsOf({
      transform: { schedule: 'hourly' },
      retention: { logDays: 31 },
      alarmEmail: 'ops at example',
    })
    expect(message).toMatch(/transform.schedule: "hourly": must be rate\(<n> <unit>\) or cron/)
    expect(message).toMatch(/retention.logDays: must be one of CloudWatch Logs' retention periods: 1, 3, 5/)
    expect(message).toMatch(/alarmEmail: must be an email address/)
    expect(loadConfig({ alarmEmail: 'ops@example.com' }).alarmEmail).toBe('ops@example.com')
  })

  it('rejects an impossible projection start and an unknown time zone', () => {
    expect(problemsOf({ rawProjectionStart: '2024-02-30' })).toMatch(
      /rawProjectionStart: must be a real calendar date/,
    )
    expect(problemsOf({ scheduleTimezone: 'Mars/Olympus' })).toMatch(
      /scheduleTimezone: must be an IANA time zone/,
    )
  })
})

describe('scheduleProblem', () => {
  it('accepts EventBridge Scheduler rate and cron expressions', () => {
    for (const ok of [
      'rate(1 hour)',
      'rate(15 minutes)',
      'rate(2 days)',
      'cron(0 6 * * ? *)',
      'cron(0/30 * ? * MON-FRI *)',
    ]) {
      expect(scheduleProblem(ok), ok).toBeUndefined()
    }
  })

  it('explains what is wrong with the others', () => {
    expect(scheduleProblem('rate(5 minute)')).toBe('use the plural unit: rate(5 minutes)')
    expect(scheduleProblem('rate(0 minutes)')).toBe('rate value must be at least 1')
    expect(scheduleProblem('cron(0 6 * * *)')).toMatch(/cron needs 6 fields .* got 5/)
    expect(scheduleProblem('cron(0 6 * * MON *)')).toMatch(
      /"\?" in exactly one of day-of-month and day-of-week/,
    )
    expect(scheduleProblem('every hour')).toMatch(/must be rate\(<n> <unit>\) or cron/)
  })
})
