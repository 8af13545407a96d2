import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App, Stack, Validations } from 'aws-cdk-lib'
import { Bucket } from 'aws-cdk-lib/aws-s3'
import { AwsSolutionsChecks } from 'cdk-nag'
import type { IConstruct } from 'constructs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addRevopsStacks } from '../../infra/add-revops-stacks.js'
import { loadConfig } from '../../infra/config.js'
import { cdkJsonContext, TEST_ENV } from './synth-app.js'

interface Report {
  pluginReports: {
    pluginName: string
    conclusion: string
    violations: { ruleName: string; severity: string }[]
  }[]
}

function readReport(outdir: string): Report {
  const path = join(outdir, 'validation-report.json')
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Report) : { pluginReports: [] }
}

function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  )
}

describe('the revops app under cdk-nag AwsSolutions', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'revops-nag-'))
  let app: App
  let error: unknown

  beforeAll(() => {
    app = new App({ outdir, context: cdkJsonContext(), analyticsReporting: false })
    addRevopsStacks(app, loadConfig({}, TEST_ENV))
    try {
      app.synth()
    } catch (caught) {
      error = caught
    }
  })
  afterAll(() => rmSync(outdir, { recursive: true, force: true }))

  it('synthesizes with no unacknowledged error or warning', () => {
    const violations = readReport(outdir).pluginReports.flatMap((report) =>
      report.violations.map((v) => `${report.pluginName} ${v.severity} ${v.ruleName}`),
    )
    expect(violations).toEqual([])
    expect(error).toBeUndefined()
  })

  it('gives every acknowledgement a specific rule and a written reason', () => {
    const acks = acknowledgements(app)
    expect(acks.length).toBeGreaterThan(0)
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/^AwsSolutions::AwsSolutions-[A-Z]+\d+(\[.+\])?$/)
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThan(40)
    }
    const byRule = new Map<string, string[]>()
    for (const ack of acks) {
      const rule = /AwsSolutions-([A-Z]+\d+)/.exec(ack.id)?.[1] ?? ack.id
      byRule.set(rule, [...(byRule.get(rule) ?? []), ack.path])
    }
    expect([...byRule.keys()].sort()).toEqual(['IAM5', 'L1', 'S1', 'SMG4', 'SNS2', 'SQS3'])
    expect(byRule.get('S1')).toEqual(['Storage/Lake/AccessLogs'])
    expect(byRule.get('SNS2')).toEqual(['Alerts/Alarms/Topic'])
    for (const path of byRule.get('L1') ?? []) expect(path).toMatch(/\/Function$/)
    expect(byRule.get('L1')).toHaveLength(8)
    for (const path of byRule.get('SQS3') ?? []) expect(path).toMatch(/DeadLetters$/)
    expect(byRule.get('SMG4')?.sort()).toEqual(
      ['ads', 'hubspot', 'salesforce', 'stripe'].map((s) => `Ingest/Pull-${s}/Secret`),
    )
  })

  it('acknowledges wildcards only on resources scoped to a prefix, a database or a function, never on actions', () => {
    const wildcards = acknowledgements(app).filter((a) => a.id.includes('IAM5'))
    expect(wildcards.length).toBeGreaterThan(0)
    const scoped = [
      // Objects under a named key prefix of a named bucket.
      /^arn:aws:s3:::revops-[a-z-]+-123456789012-eu-west-1\/[^*]+\/\*$/,
      // The tables of one named Glue database.
      /^arn:aws:glue:eu-west-1:123456789012:table\/revops_[a-z]+\/\*$/,
      // The versions and aliases of one function, as the CDK grants invoke.
      /^<[A-Za-z0-9]+Function[A-Z0-9]+\.Arn>:\*$/,
    ]
    for (const ack of wildcards) {
      const resource = /^AwsSolutions::AwsSolutions-IAM5\[Resource::(.+)\]$/.exec(ack.id)?.[1]
      expect(resource, `${ack.path} ${ack.id}`).toBeDefined()
      if (resource === '*') {
        // Log delivery and X-Ray, which AWS offers on no narrower resource (transform-stack.test.ts).
        expect(ack.path).toBe('Transform/Build/Machine')
        continue
      }
      expect(
        scoped.some((pattern) => pattern.test(resource as string)),
        `${ack.path} ${resource}`,
      ).toBe(true)
    }
  })
})

describe('the cdk-nag check itself', () => {
  it('fails synth on an unhardened bucket (so a clean report means something)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'revops-nag-'))
    try {
      const app = new App({ outdir, context: cdkJsonContext(), analyticsReporting: false })
      new Bucket(new Stack(app, 'Probe'), 'Plain')
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app))
      expect(() => app.synth()).toThrow(/AwsSolutions-S1/)
      const rules = readReport(outdir).pluginReports.flatMap((r) => r.violations.map((v) => v.ruleName))
      expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']))
    } finally {
      rmSync(outdir, { recursive: true, force: true })
    }
  })
})
