import { Duration } from 'aws-cdk-lib'
import { type FunctionUrl, FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda'
import { Construct } from 'constructs'
import { layerSchema, PHYSICAL_SCHEMA, PROD_ENVIRONMENT } from '../../core/config/names.js'
import { LakeArns } from '../lake-arns.js'
import { grantAthenaQueries, grantGlue, grantLakeKey, grantList, grantObjects } from '../lake-grants.js'
import type { MetricApiProps } from './metric-api-props.js'
import { OpsAlarm } from './ops-alarm.js'
import { RevopsFunction } from './revops-function.js'

/**
 * The metric API (handlers/metric-api) behind a Lambda function URL with IAM auth: only
 * principals of the account allowed `lambda:InvokeFunctionUrl` on it can call it, with SigV4
 * signed requests. It answers from the prod marts on Athena in the BI workgroup, so it reads
 * what the marts' views read (the physical tables) and nothing of raw or of the builds' writes.
 */
export class MetricApi extends Construct {
  readonly function: RevopsFunction
  readonly url: FunctionUrl

  constructor(scope: Construct, id: string, props: MetricApiProps) {
    super(scope, id)
    const { names } = props
    const arns = new LakeArns(this, names)
    const marts = names.database(layerSchema(PROD_ENVIRONMENT, 'marts'))
    const physical = names.database(PHYSICAL_SCHEMA)
    const name = names.resource('metric-api')
    this.function = new RevopsFunction(this, 'Api', {
      handler: 'metric-api',
      functionName: name,
      description: 'The metric API: GET /metrics, GET|POST /query, answered on Athena',
      timeout: Duration.seconds(60),
      memorySize: 1024,
      logRetentionDays: props.logRetentionDays,
      environment: {
        REVOPS_SCHEMA_PREFIX: names.schemaPrefix(),
        REVOPS_ENVIRONMENT: PROD_ENVIRONMENT,
        REVOPS_ATHENA_WORKGROUP: props.workgroup,
        REVOPS_ATHENA_DATABASE: marts,
      },
    })
    const role = this.function.role
    grantAthenaQueries(role, arns, props.workgroup)
    grantGlue(role, arns, { read: [marts, physical] })
    grantObjects(
      role,
      arns,
      'warehouse',
      [`${physical}/`],
      ['s3:GetObject'],
      `Data files of the ${physical} tables the marts views read, named by Athena at run time; read only.`,
    )
    grantList(role, arns, 'warehouse', [`${physical}/`])
    // Read the warehouse; write the query results (SSE-KMS), which needs data keys.
    grantLakeKey(role, props.key, 'read-write')

    this.url = this.function.function.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM })

    new OpsAlarm(this, 'Errors', {
      alarmName: `${name}-errors`,
      description: 'The metric API failed requests (its log says why); answers with 4xx are not errors.',
      metric: this.function.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      topic: props.alarmTopic,
    })
  }
}
