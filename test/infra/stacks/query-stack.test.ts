import { Template } from 'aws-cdk-lib/assertions'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ATHENA_ENGINE_VERSION } from '../../../infra/constructs/athena-workgroup.js'
import { type SynthesizedApp, synthRevopsApp } from '../synth-app.js'

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation template JSON, checked by the assertions
type Json = any

const CUTOFFS = { etl: 200_000_000_000, bi: 2_000_000_000, adhoc: 30_000_000_000 }

let synthesized: SynthesizedApp
let template: Template

beforeAll(() => {
  synthesized = synthRevopsApp({
    workgroups: {
      etl: { bytesScannedCutoffPerQuery: CUTOFFS.etl },
      bi: { bytesScannedCutoffPerQuery: CUTOFFS.bi, resultReuseMaxAgeMinutes: 240 },
      adhoc: { bytesScannedCutoffPerQuery: CUTOFFS.adhoc },
    },
  })
  template = Template.fromStack(synthesized.stacks.query)
})
afterAll(() => synthesized?.cleanup())

function workgroup(name: string): Json {
  const all = Object.values(template.findResources('AWS::Athena::WorkGroup')) as Json[]
  const found = all.find((w) => w.Properties.Name === name)
  if (!found) throw new Error(`no workgroup ${name}`)
  return found.Properties
}

describe('QueryStack', () => {
  it('creates the etl, bi and adhoc workgroups, prefixed', () => {
    const names = (Object.values(template.findResources('AWS::Athena::WorkGroup')) as Json[]).map(
      (w) => w.Properties.Name,
    )
    expect(names.sort()).toEqual(['revops-adhoc', 'revops-bi', 'revops-etl'])
  })

  it('enforces the workgroup configuration on engine version 3 with CloudWatch metrics', () => {
    for (const name of ['etl', 'bi', 'adhoc']) {
      expect(workgroup(`revops-${name}`).WorkGroupConfiguration).toMatchObject({
        EnforceWorkGroupConfiguration: true,
        EngineVersion: { SelectedEngineVersion: ATHENA_ENGINE_VERSION },
        PublishCloudWatchMetricsEnabled: true,
        RequesterPaysEnabled: false,
      })
      expect(workgroup(`revops-${name}`).State).toBe('ENABLED')
    }
    expect(ATHENA_ENGINE_VERSION).toBe('Athena engine version 3')
  })

  it('applies each workgroup its own per-query scan cutoff from the configuration', () => {
    for (const [name, cutoff] of Object.entries(CUTOFFS)) {
      expect(workgroup(`revops-${name}`).WorkGroupConfiguration.BytesScannedCutoffPerQuery).toBe(cutoff)
    }
  })

  it('writes results to its own prefix of the results bucket, SSE-KMS with the lake key', () => {
    for (const name of ['etl', 'bi', 'adhoc']) {
      const result = workgroup(`revops-${name}`).WorkGroupConfiguration.ResultConfiguration
      const parts = result.OutputLocation['Fn::Join'][1] as Json[]
      expect(parts[0]).toBe('s3://')
      expect(JSON.stringify(parts[1])).toMatch(/AthenaResults/)
      expect(parts[2]).toBe(`/revops-${name}/`)
      expect(result.EncryptionConfiguration.EncryptionOption).toBe('SSE_KMS')
      expect(JSON.stringify(result.EncryptionConfiguration.KmsKey)).toMatch(/LakeKey.*Arn/)
      expect(result.ExpectedBucketOwner).toBe('123456789012')
    }
    expect(synthesized.stacks.query.dependencies).toContain(synthesized.stacks.storage)
  })

  it('leaves result reuse to each query (no workgroup setting exists) and exposes the age for it', () => {
    expect(JSON.stringify(template.toJSON())).not.toMatch(/ResultReuse/)
    expect(synthesized.stacks.query.bi.resultReuseMaxAgeMinutes).toBe(240)
    expect(synthesized.stacks.query.etl.resultReuseMaxAgeMinutes).toBeUndefined()
  })

  it('keeps saved queries from being deleted with a retained deployment', () => {
    for (const name of ['etl', 'bi', 'adhoc'])
      expect(workgroup(`revops-${name}`).RecursiveDeleteOption).toBe(false)
  })
})
