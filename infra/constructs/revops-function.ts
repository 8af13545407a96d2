import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RemovalPolicy, Validations } from 'aws-cdk-lib'
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda'
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs'
import { LogGroup } from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'
import { handlerEntry } from '../handler-entry.js'
import type { RevopsFunctionProps } from './revops-function-props.js'

/** The repository root: the bundles' project root and where their lockfile is. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Lambda runs ESM bundles; some dependencies still call `require`, which ESM does not define. */
const REQUIRE_SHIM =
  "import { createRequire as __revopsCreateRequire } from 'node:module'; const require = __revopsCreateRequire(import.meta.url);"

/**
 * A Lambda function of the project: one handler bundled by the local esbuild (no Docker) into an
 * ESM file with every dependency inside, the AWS SDK included, so the function runs the exact
 * SDK versions the tests ran. Node.js 22 on arm64. Its role starts empty (no managed policy): it
 * may write its own log group and nothing else until a stack grants what the handler needs.
 */
export class RevopsFunction extends Construct {
  readonly function: NodejsFunction
  readonly role: Role
  readonly logGroup: LogGroup

  constructor(scope: Construct, id: string, props: RevopsFunctionProps) {
    super(scope, id)
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.functionName}: its log group, and what its stack grants`,
    })
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetentionDays,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    })
    this.logGroup.grantWrite(this.role)
    const copies = (props.copyFiles ?? []).filter((file) => existsSync(join(ROOT, file)))
    this.function = new NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      entry: handlerEntry(props.handler),
      handler: 'handler',
      // Pinned: the cdk.json flag `useLatestRuntimeVersion` would move it with each CDK upgrade.
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      projectRoot: ROOT,
      depsLockFilePath: join(ROOT, 'package-lock.json'),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        bundleAwsSDK: true,
        // DuckDB is the local engine: its native binding cannot load on Lambda. Code that opens it
        // loads it lazily (transforms/framework/unit-tests.ts), so tree shaking drops it from the
        // bundle; external, the package is not even resolved. The bundle test checks it is absent.
        externalModules: ['@duckdb/node-api'],
        banner: REQUIRE_SHIM,
        forceDockerBundling: false,
        ...(copies.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  copies.map((file) => `cp "${join(inputDir, file)}" "${join(outputDir, file)}"`),
              },
            }
          : {}),
      },
    })
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions::AwsSolutions-L1',
      reason:
        'The runtime is pinned to nodejs22.x, the Node.js line the bundles target (esbuild target node22); ' +
        'moving to a newer runtime is a deliberate change, not a side effect of a CDK upgrade.',
    })
  }
}
