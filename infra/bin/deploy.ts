import { spawnSync } from 'node:child_process'
import { S3Client } from '@aws-sdk/client-s3'

/**
 * `npm run deploy [-- <cdk deploy options>]`: deploys every revops stack to the account and region
 * of the current AWS credentials. Checks first that credentials and a region resolve (the AWS SDK's
 * default chain: environment, profile/SSO, web identity, container or instance role), because the
 * CDK CLI's own message for missing credentials does not say what to do. The account must be
 * bootstrapped once: `npx cdk bootstrap aws://<account>/<region>`.
 */

const HELP = [
  'npm run deploy needs AWS credentials and a region, and an account bootstrapped for the CDK:',
  '  1. sign in: `aws sso login --profile <p>` then `export AWS_PROFILE=<p>`',
  '     (or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
  '  2. choose the region: `export AWS_REGION=<region>` (or set region in the profile)',
  '  3. once per account and region: `npx cdk bootstrap aws://<account>/<region>`',
  '  4. `npm run synth` checks the app offline; `npm run deploy` deploys it',
].join('\n')

async function preflight(): Promise<string | undefined> {
  const client = new S3Client({})
  try {
    let region: string | undefined
    try {
      region = await client.config.region()
    } catch {
      region = undefined
    }
    if (!region) return 'no AWS region is configured'
    try {
      await client.config.credentials()
    } catch (error) {
      return `no AWS credentials found (${error instanceof Error ? error.message : String(error)})`
    }
    return undefined
  } finally {
    client.destroy()
  }
}

const problem = await preflight()
if (problem) {
  process.stderr.write(`deploy: ${problem}\n\n${HELP}\n`)
  process.exit(1)
}
const result = spawnSync(
  'npx',
  ['cdk', 'deploy', '--all', '--no-notices', '--require-approval', 'broadening', ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' } },
)
process.exit(result.status ?? 1)
