import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App } from 'aws-cdk-lib'
import { addRevopsStacks, type RevopsStacks } from '../../infra/add-revops-stacks.js'
import { loadConfig } from '../../infra/config.js'
import type { RevopsConfig } from '../../infra/config-schema.js'

export const TEST_ENV = { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-west-1' }

/** The context of cdk.json (feature flags included), so tests synthesize what `npm run synth` does. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>
  }
  return cdkJson.context
}

export interface SynthesizedApp {
  readonly app: App
  readonly config: RevopsConfig
  readonly stacks: RevopsStacks
  readonly outdir: string
  cleanup(): void
}

/**
 * Builds and synthesizes the whole app once (cdk-nag included: synth throws on any unacknowledged
 * finding). Template.fromStack reuses this synthesis, so a test file pays for one synth. Lambda
 * bundles are not built unless `bundle` is set (the CDK's `aws:cdk:bundling-stacks` context, as
 * `cdk synth --exclusively` uses it): templates are the same, assets point at the sources.
 */
export function synthRevopsApp(override: unknown = {}, options: { bundle?: boolean } = {}): SynthesizedApp {
  const outdir = mkdtempSync(join(tmpdir(), 'revops-cdk-'))
  const context = {
    ...cdkJsonContext(),
    ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
  }
  const app = new App({ outdir, context, analyticsReporting: false })
  const config = loadConfig(override, TEST_ENV)
  const stacks = addRevopsStacks(app, config)
  try {
    app.synth()
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true })
    throw error
  }
  return { app, config, stacks, outdir, cleanup: () => rmSync(outdir, { recursive: true, force: true }) }
}
