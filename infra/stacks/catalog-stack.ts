import { CfnOutput, Stack } from 'aws-cdk-lib'
import type { Construct } from 'constructs'
import {
  LAYERS,
  layerSchema,
  METRICS_SCHEMA,
  PHYSICAL_SCHEMA,
  PROD_ENVIRONMENT,
  RAW_SCHEMA,
} from '../../core/config/names.js'
import { RAW_PREFIX } from '../../core/lake/layout.js'
import { GlueDatabases } from '../constructs/glue-databases.js'
import type { GlueDatabaseSpec } from '../constructs/glue-databases-props.js'
import { RawTable } from '../constructs/raw-table.js'
import { removalPolicy } from '../removal-policy.js'
import type { CatalogStackProps } from './catalog-stack-props.js'

const DESCRIPTIONS: Record<string, string> = {
  [RAW_SCHEMA]: 'Landed envelopes, one table per source entity (partition projection over raw/).',
  [PHYSICAL_SCHEMA]: 'Built Iceberg tables, named by fingerprint; environments are views over them.',
  [METRICS_SCHEMA]: 'Governed metric views for BI tools.',
}

/**
 * The Glue catalog: one database per schema of the prod environment, and a raw table per
 * entity of every enabled source. Development environments (`dev_<name>_staging`, ...) are
 * created by the builds themselves, not here.
 */
export class CatalogStack extends Stack {
  readonly databases: GlueDatabases
  readonly rawTables: readonly RawTable[]

  constructor(scope: Construct, id: string, props: CatalogStackProps) {
    super(scope, id, props)
    const { config, names } = props
    const warehouse = (name: string) => `s3://${props.warehouseBucket.bucketName}/${name}/`
    const specs: Record<string, GlueDatabaseSpec> = {
      [RAW_SCHEMA]: {
        name: names.database(RAW_SCHEMA),
        description: DESCRIPTIONS[RAW_SCHEMA] ?? '',
        locationUri: `s3://${props.rawBucket.bucketName}/${RAW_PREFIX}`,
      },
    }
    for (const layer of LAYERS) {
      const schema = layerSchema(PROD_ENVIRONMENT, layer)
      const name = names.database(schema)
      specs[schema] = {
        name,
        description: `The ${layer} layer of the prod environment.`,
        locationUri: warehouse(name),
      }
    }
    for (const schema of [METRICS_SCHEMA, PHYSICAL_SCHEMA]) {
      const name = names.database(schema)
      specs[schema] = { name, description: DESCRIPTIONS[schema] ?? '', locationUri: warehouse(name) }
    }
    this.databases = new GlueDatabases(this, 'Databases', {
      databases: specs,
      removalPolicy: removalPolicy(config),
    })

    const tables: RawTable[] = []
    for (const [source, sourceConfig] of Object.entries(config.sources)) {
      if (!sourceConfig.enabled) continue
      for (const entity of sourceConfig.entities) {
        tables.push(
          new RawTable(this, `Raw-${source}-${entity}`, {
            databaseName: this.databases.name(RAW_SCHEMA),
            bucket: props.rawBucket,
            source,
            entity,
            projectionStart: config.rawProjectionStart,
          }),
        )
      }
    }
    this.rawTables = tables
    new CfnOutput(this, 'RawDatabase', { value: this.databases.name(RAW_SCHEMA) })
  }
}
