import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const TSX = join('node_modules', '.bin', 'tsx')

// A home with no AWS config, no AWS_* variables, and the instance metadata lookup off: the SDK's
// credential chain finds nothing, so the script must stop before it starts `cdk deploy`.
const home = mkdtempSync(join(tmpdir(), 'revops-deploy-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))

function runDeploy(extra: Record<string, string>) {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    AWS_EC2_METADATA_DISABLED: 'true',
  }
  return spawnSync(TSX, ['infra/bin/deploy.ts'], { encoding: 'utf8', env: { ...env, ...extra } })
}

describe('npm run deploy', () => {
  it('explains what is missing when no region is configured', () => {
    const result = runDeploy({})
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('deploy: no AWS region is configured')
    expect(result.stderr).toContain('npx cdk bootstrap aws://<account>/<region>')
  })

  it('explains what is missing when no credentials resolve, and never starts cdk deploy', () => {
    const result = runDeploy({ AWS_REGION: 'eu-west-1' })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('deploy: no AWS credentials found')
    expect(result.stderr).toContain('aws sso login --profile <p>')
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/Deploying|Synthesis time|cdk deploy --all/)
  })
})
