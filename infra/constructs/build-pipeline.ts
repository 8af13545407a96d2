import { Duration, Stack, TimeZone } from 'aws-cdk-lib'
import { MathExpression } from 'aws-cdk-lib/aws-cloudwatch'
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import { LogGroup } from 'aws-cdk-lib/aws-logs'
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler'
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets'
import {
  Choice,
  Condition,
  DefinitionBody,
  Errors,
  Fail,
  JsonPath,
  LogLevel,
  StateMachine,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions'
import { CallAwsService, LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks'
import { Construct } from 'constructs'
import {
  LAYERS,
  layerSchema,
  METRICS_SCHEMA,
  PHYSICAL_SCHEMA,
  PROD_ENVIRONMENT,
  RAW_SCHEMA,
} from '../../core/config/names.js'
import { RAW_PREFIX } from '../../core/lake/layout.js'
import { LakeArns } from '../lake-arns.js'
import { grantAthenaQueries, grantGlue, grantLakeKey, grantList, grantObjects } from '../lake-grants.js'
import { acknowledgeWildcards } from '../scoped-policy.js'
import type { BuildPipelineProps } from './build-pipeline-props.js'
import { DeadLetterQueue } from './dead-letter-queue.js'
import { OpsAlarm } from './ops-alarm.js'
import { RevopsFunction } from './revops-function.js'

/** How long one build may run, all its steps together, before the state machine gives up on it. */
export const BUILD_TIMEOUT = Duration.hours(12)

/**
 * The build on Athena, as a Step Functions state machine:
 *
 *   OneBuildAtATime → BuildModels ⟲ (until done) → PublishMetricViews → Succeed | ModelsFailed
 *
 * Why a loop of one Lambda function: a build of the project is many short Athena statements
 * (CTAS, views, tests) driven by the transforms framework, whose DAG order, fingerprints, reuse,
 * tests and promotion are TypeScript: re-describing them as states would fork the runner the CLI
 * uses. A build can outlast one invocation (15 minutes), so the function builds batches of models
 * until its time runs short and returns what is left (handlers/build/build-step.ts); the state
 * machine calls it again until nothing is left. Lambda's own failures are retried here with
 * backoff, and a step that fails is retried too: steps are idempotent, because finished models
 * are reused by fingerprint. Athena's transient failures are retried inside the engine.
 *
 * The governed views are published by the last state, not at deploy time: the views and
 * `metric_values` read the marts, which exist only after a build, and `metric_values` is data
 * that must be refreshed after every build.
 *
 * Only one build runs at a time: the first state lists the machine's running executions and ends
 * a second one at once. Failing models fail the execution, after the views are published over
 * the marts that passed: the failure alarm fires.
 */
export class BuildPipeline extends Construct {
  readonly build: RevopsFunction
  readonly views: RevopsFunction
  readonly stateMachine: StateMachine
  readonly schedule: Schedule | undefined

  constructor(scope: Construct, id: string, props: BuildPipelineProps) {
    super(scope, id)
    const { names } = props
    const arns = new LakeArns(this, names)
    const db = (schema: string) => names.database(schema)
    const physical = db(PHYSICAL_SCHEMA)
    const metrics = db(METRICS_SCHEMA)
    const layers = LAYERS.map((layer) => db(layerSchema(PROD_ENVIRONMENT, layer)))
    const warehouse = `s3://${names.bucket(this, 'warehouse')}`
    const tableWrites = [
      's3:GetObject',
      's3:PutObject',
      's3:DeleteObject',
      's3:AbortMultipartUpload',
      's3:ListMultipartUploadParts',
    ]
    const tablesReason = (database: string) =>
      `Iceberg data and metadata files of the ${database} tables, named by Athena at run time; that prefix only.`

    this.build = new RevopsFunction(this, 'Build', {
      handler: 'build',
      functionName: names.resource('build'),
      description: 'One step of a build of the models on Athena (the build state machine loops on it)',
      timeout: Duration.minutes(15),
      memorySize: 1024,
      logRetentionDays: props.logRetentionDays,
      // The revenue policy the project chose locally applies to the deployed builds too.
      copyFiles: ['revops.config.json'],
      environment: {
        RAW_BUCKET: names.bucket(this, 'raw'),
        RAW_PREFIX: '',
        REVOPS_SCHEMA_PREFIX: names.schemaPrefix(),
        REVOPS_TABLE_LOCATION: warehouse,
        REVOPS_ATHENA_WORKGROUP: props.workgroup,
        REVOPS_ATHENA_DATABASE: physical,
        ...(props.revenuePolicy ? { REVOPS_POLICY: props.revenuePolicy } : {}),
      },
    })
    const buildRole = this.build.role
    grantAthenaQueries(buildRole, arns, props.workgroup)
    grantGlue(buildRole, arns, { read: [db(RAW_SCHEMA)], write: [...layers, physical] })
    grantObjects(
      buildRole,
      arns,
      'raw',
      [RAW_PREFIX],
      ['s3:GetObject'],
      'Raw envelopes of every source, read by the raw tables; named by content at run time.',
    )
    grantList(buildRole, arns, 'raw', [RAW_PREFIX])
    // Every table the builds create lives in the physical database; the layers are views.
    grantObjects(buildRole, arns, 'warehouse', [`${physical}/`], tableWrites, tablesReason(physical))
    grantList(buildRole, arns, 'warehouse', [`${physical}/`])
    grantLakeKey(buildRole, props.key, 'read-write')

    this.views = new RevopsFunction(this, 'Views', {
      handler: 'views',
      functionName: names.resource('views'),
      description: 'Publishes the governed metric views and refreshes metric_values after a build',
      timeout: Duration.minutes(15),
      memorySize: 512,
      logRetentionDays: props.logRetentionDays,
      environment: {
        REVOPS_SCHEMA_PREFIX: names.schemaPrefix(),
        REVOPS_TABLE_LOCATION: warehouse,
        REVOPS_ATHENA_WORKGROUP: props.workgroup,
        REVOPS_ATHENA_DATABASE: metrics,
      },
    })
    const viewsRole = this.views.role
    const marts = db(layerSchema(PROD_ENVIRONMENT, 'marts'))
    grantAthenaQueries(viewsRole, arns, props.workgroup)
    grantGlue(viewsRole, arns, { read: [marts, physical], write: [metrics] })
    grantObjects(viewsRole, arns, 'warehouse', [`${physical}/`], ['s3:GetObject'], tablesReason(physical))
    grantObjects(viewsRole, arns, 'warehouse', [`${metrics}/`], tableWrites, tablesReason(metrics))
    grantList(viewsRole, arns, 'warehouse', [`${physical}/`, `${metrics}/`])
    grantLakeKey(viewsRole, props.key, 'read-write')

    const machineName = names.resource('build')
    const lambdaRetry = {
      errors: ['Lambda.TooManyRequestsException'],
      interval: Duration.seconds(30),
      maxAttempts: 8,
      backoffRate: 2,
    }
    // A step that threw (the lake or Athena unreachable after the engine's own retries) runs again.
    const stepRetry = {
      errors: [Errors.TASKS_FAILED],
      interval: Duration.minutes(1),
      maxAttempts: 2,
      backoffRate: 2,
    }

    const guard = new CallAwsService(this, 'OneBuildAtATime', {
      comment: 'Lists the running builds: this one, and any other',
      service: 'sfn',
      action: 'listExecutions',
      parameters: {
        StateMachineArn: JsonPath.stringAt('$$.StateMachine.Id'),
        StatusFilter: 'RUNNING',
        MaxResults: 2,
      },
      iamAction: 'states:ListExecutions',
      iamResources: [arns.stateMachine(machineName)],
      resultSelector: { running: JsonPath.arrayLength(JsonPath.listAt('$.Executions')) },
      resultPath: '$.guard',
    })
    const buildModels = new LambdaInvoke(this, 'BuildModels', {
      comment: 'Builds batches of models until the invocation nears its end; returns what is left',
      lambdaFunction: this.build.function,
      payload: TaskInput.fromJsonPathAt('$'),
      outputPath: '$.Payload',
    })
      .addRetry(lambdaRetry)
      .addRetry(stepRetry)
    const publish = new LambdaInvoke(this, 'PublishMetricViews', {
      comment: 'Governed views and metric_values over the promoted marts',
      lambdaFunction: this.views.function,
      payload: TaskInput.fromJsonPathAt('$'),
      outputPath: '$.Payload',
    })
      .addRetry(lambdaRetry)
      .addRetry(stepRetry)
    const definition = guard.next(
      new Choice(this, 'AnotherBuildRunning?')
        .when(
          Condition.numberGreaterThan('$.guard.running', 1),
          new Succeed(this, 'LeftToTheRunningBuild', { comment: 'A build is already running' }),
        )
        .otherwise(
          buildModels.next(
            new Choice(this, 'ModelsLeft?')
              .when(Condition.booleanEquals('$.done', false), buildModels)
              .otherwise(
                publish.next(
                  new Choice(this, 'AllModelsPassed?')
                    .when(Condition.booleanEquals('$.ok', true), new Succeed(this, 'Built'))
                    .otherwise(
                      new Fail(this, 'ModelsFailed', {
                        error: 'ModelsFailed',
                        causePath: JsonPath.jsonToString(JsonPath.objectAt('$.run.failures')),
                      }),
                    ),
                ),
              ),
          ),
        ),
    )

    const logs = new LogGroup(this, 'MachineLogs', {
      logGroupName: `/aws/vendedlogs/states/${machineName}`,
      retention: props.logRetentionDays,
    })
    this.stateMachine = new StateMachine(this, 'Machine', {
      stateMachineName: machineName,
      comment: 'Builds the models on Athena, then publishes the governed metric views',
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: BUILD_TIMEOUT,
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: true },
    })
    acknowledgeWildcards(
      this.stateMachine,
      [`${this.build.function.functionArn}:*`, `${this.views.function.functionArn}:*`],
      'The versions and aliases of the build and views functions only, as the CDK grants invoke.',
    )
    acknowledgeWildcards(
      this.stateMachine,
      ['*'],
      'Only for the actions AWS documents without resource-level permissions: CloudWatch Logs log delivery ' +
        '(logs:CreateLogDelivery, ...) for the execution logs and X-Ray (xray:PutTraceSegments, ...) for tracing.',
    )

    const topic = props.alarmTopic
    new OpsAlarm(this, 'BuildFailed', {
      alarmName: `${machineName}-failed`,
      description:
        'A build failed, timed out or was aborted: models that failed and why are in the execution output ' +
        '(ModelsFailed) and in the build function log.',
      metric: new MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: this.stateMachine.metricFailed(),
          timedOut: this.stateMachine.metricTimedOut(),
          aborted: this.stateMachine.metricAborted(),
        },
        period: Duration.minutes(5),
        label: 'builds that did not succeed',
      }),
      topic,
    })

    if (props.schedule === null) return
    const deadLetters = new DeadLetterQueue(this, 'ScheduleDeadLetters', { holds: 'the build schedule' })
    const scheduleRole = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `${machineName} schedule: starts a build, writes its dead letters`,
    })
    this.schedule = new Schedule(this, 'Schedule', {
      scheduleName: machineName,
      description: 'Starts a build after the pulls',
      schedule: ScheduleExpression.expression(props.schedule, TimeZone.of(props.timezone)),
      target: new StepFunctionsStartExecution(this.stateMachine, {
        role: scheduleRole,
        input: ScheduleTargetInput.fromObject({}),
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: deadLetters,
      }),
    })
    new OpsAlarm(this, 'ScheduleDeadLettersWaiting', {
      alarmName: `${machineName}-schedule-dead-letters`,
      description: 'The schedule could not start a build: the event and error are in its dead-letter queue.',
      metric: deadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      topic,
    })
  }
}
