import { type App, Tags, Validations } from 'aws-cdk-lib'
import { AwsSolutionsChecks } from 'cdk-nag'
import type { RevopsConfig } from './config-schema.js'
import { ResourceNames } from './resource-names.js'
import { AlertsStack } from './stacks/alerts-stack.js'
import { ApiStack } from './stacks/api-stack.js'
import { CatalogStack } from './stacks/catalog-stack.js'
import { IngestStack } from './stacks/ingest-stack.js'
import { QueryStack } from './stacks/query-stack.js'
import { StorageStack } from './stacks/storage-stack.js'
import { TransformStack } from './stacks/transform-stack.js'

export interface RevopsStacks {
  readonly storage: StorageStack
  readonly catalog: CatalogStack
  readonly query: QueryStack
  readonly alerts: AlertsStack
  readonly ingest: IngestStack
  readonly transform: TransformStack
  readonly api: ApiStack
}

/**
 * Adds the revops stacks to an app. Stacks only wire constructs (infra/constructs/) together;
 * stateful resources live in the storage stack alone.
 *
 * Where the next parts go (each a stack here plus constructs in infra/constructs/):
 * - ingest: per enabled source, a NodejsFunction with its DLQ and alarms, started by an
 *   EventBridge Scheduler schedule from `config.sources.<name>.schedule` (or by landing-bucket
 *   events when the schedule is null), writing `raw/` of `storage.storage.raw` with
 *   `storage.storage.key`. Entry: `handlerEntry(<name>)` (./handler-entry.ts). Runtime: set
 *   `Runtime.NODEJS_22_X` explicitly; the recommended flag `useLatestRuntimeVersion` in cdk.json
 *   would otherwise pick the newest.
 * - transform: a Step Functions runner of `revops build` on `query.etl`, reading `catalog.rawTables`
 *   and writing Iceberg tables to `storage.storage.warehouse`.
 * - api: the metric API, a function URL with IAM auth, querying through `query.bi` and setting
 *   `query.bi.resultReuseMaxAgeMinutes` on each query.
 */
export function addRevopsStacks(
  app: App,
  config: RevopsConfig,
  options: { nag?: boolean } = {},
): RevopsStacks {
  const names = new ResourceNames(config.namePrefix)
  const env = { account: config.account, region: config.region }
  const retain = config.removalPolicy === 'retain'

  const storage = new StorageStack(app, 'Storage', {
    stackName: names.stack('storage'),
    description: 'revops: lake key and buckets (stateful)',
    env,
    config,
    names,
    terminationProtection: retain,
  })
  const catalog = new CatalogStack(app, 'Catalog', {
    stackName: names.stack('catalog'),
    description: 'revops: Glue databases and raw tables',
    env,
    config,
    names,
    rawBucket: storage.storage.raw,
    warehouseBucket: storage.storage.warehouse,
  })
  const query = new QueryStack(app, 'Query', {
    stackName: names.stack('query'),
    description: 'revops: Athena workgroups',
    env,
    config,
    names,
    resultsBucket: storage.storage.athenaResults,
    encryptionKey: storage.storage.key,
  })

  const alerts = new AlertsStack(app, 'Alerts', {
    stackName: names.stack('alerts'),
    description: 'revops: the alarm topic',
    env,
    config,
    names,
  })
  const ingest = new IngestStack(app, 'Ingest', {
    stackName: names.stack('ingest'),
    description: 'revops: pulls on schedules, file drops, their secrets, dead letters and alarms',
    env,
    config,
    names,
    key: storage.storage.key,
    alarmTopic: alerts.topic,
  })
  const transform = new TransformStack(app, 'Transform', {
    stackName: names.stack('transform'),
    description: 'revops: the build state machine on Athena and the governed views after each build',
    env,
    config,
    names,
    key: storage.storage.key,
    workgroup: query.etl.name,
    alarmTopic: alerts.topic,
  })
  const api = new ApiStack(app, 'Api', {
    stackName: names.stack('api'),
    description: 'revops: the metric API (Lambda function URL, IAM auth)',
    env,
    config,
    names,
    key: storage.storage.key,
    workgroup: query.bi.name,
    alarmTopic: alerts.topic,
  })
  // Policies name buckets, databases and workgroups by name, not by reference: order them here.
  for (const stack of [ingest, transform, api]) {
    stack.addStackDependency(storage)
    stack.addStackDependency(catalog)
  }
  transform.addStackDependency(query)
  api.addStackDependency(query)

  Tags.of(app).add('app', config.namePrefix)
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app))
  return { storage, catalog, query, alerts, ingest, transform, api }
}
