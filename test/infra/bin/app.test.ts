import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const TSX = join('node_modules', '.bin', 'tsx')

import { cdkJsonContext } from '../synth-app.js'

const outdir = mkdtempSync(join(tmpdir(), 'revops-app-'))
afterAll(() => rmSync(outdir, { recursive: true, force: true }))

/** Runs infra/bin/app.ts the way the CDK CLI does: context and output folder through the environment. */
function runApp(revops: unknown) {
  return spawnSync(TSX, ['infra/bin/app.ts'], {
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJsonContext(), revops }),
      CDK_DEFAULT_ACCOUNT: '123456789012',
      CDK_DEFAULT_REGION: 'eu-west-1',
    },
  })
}

describe('infra/bin/app.ts', () => {
  it('stops synth on an invalid configuration with the reasons and no stack trace', () => {
    const result = runApp({ workgroups: { etl: { bytesScannedCutoffPerQuery: 5 } }, removalPolicy: 'keep' })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('invalid revops config')
    expect(result.stderr).toContain('  - removalPolicy: Invalid option: expected one of "retain"|"destroy"')
    expect(result.stderr).toContain(
      '  - workgroups.etl.bytesScannedCutoffPerQuery: must be at least 10000000 bytes',
    )
    expect(result.stderr).toContain('hint: fix the value in cdk.json')
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(readdirSync(outdir).filter((f) => f.endsWith('.template.json'))).toEqual([])
  })
})
