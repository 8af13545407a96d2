import { RemovalPolicy, Stack } from 'aws-cdk-lib'
import { CfnDatabase } from 'aws-cdk-lib/aws-glue'
import { Construct } from 'constructs'
import type { GlueDatabasesProps } from './glue-databases-props.js'

/** The Glue databases of the catalog, one per schema, keyed by schema. */
export class GlueDatabases extends Construct {
  readonly databases: Readonly<Record<string, CfnDatabase>>

  constructor(scope: Construct, id: string, props: GlueDatabasesProps) {
    super(scope, id)
    const databases: Record<string, CfnDatabase> = {}
    for (const [schema, spec] of Object.entries(props.databases)) {
      const database = new CfnDatabase(this, schema, {
        catalogId: Stack.of(this).account,
        databaseInput: { name: spec.name, description: spec.description, locationUri: spec.locationUri },
      })
      database.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN)
      databases[schema] = database
    }
    this.databases = databases
  }

  /** The Glue name of a schema's database. */
  name(schema: string): string {
    const database = this.databases[schema]
    if (!database) throw new Error(`no Glue database for schema ${JSON.stringify(schema)}`)
    return database.ref
  }
}
