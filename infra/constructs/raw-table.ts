import { Stack } from 'aws-cdk-lib'
import { CfnTable } from 'aws-cdk-lib/aws-glue'
import { Construct } from 'constructs'
import { rawTableName } from '../../core/config/names.js'
import { ENVELOPE_COLUMNS, ENVELOPE_PARTITION } from '../../core/lake/envelope.js'
import { rawEntityPrefix } from '../../core/lake/layout.js'
import type { RawTableProps } from './raw-table-props.js'

/** Hive type of each portable envelope type. */
const GLUE_TYPES: Record<string, string> = {
  varchar: 'string',
  timestamp: 'timestamp',
  boolean: 'boolean',
  date: 'date',
}

function glueType(type: string): string {
  const glue = GLUE_TYPES[type]
  if (!glue) throw new Error(`no Glue type for envelope type ${JSON.stringify(type)}`)
  return glue
}

/**
 * The ISO-8601 UTC forms the envelope's `_ingested_at` and `_updated_at` take (zod
 * `z.iso.datetime()`: seconds always, `Z`, any fraction). Joda patterns: `SSS` parses 1-9 digits.
 */
export const ENVELOPE_TIMESTAMP_FORMATS = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z',yyyy-MM-dd'T'HH:mm:ss'Z'"

/**
 * The raw (bronze) table of one source entity: gzip JSON lines of envelopes (core/lake/envelope.ts)
 * under `raw/source=<source>/entity=<entity>/ingest_date=YYYY-MM-DD/`. Partitions come from
 * partition projection, computed from the table properties at query time: no crawler, no
 * `MSCK REPAIR`, no partition to register after a land. The Hive JSON SerDe, not OpenX: Athena
 * documents OpenX results as possibly non-deterministic, and a malformed line should fail the
 * query rather than vanish.
 */
export class RawTable extends Construct {
  readonly table: CfnTable
  /** Glue table name, e.g. `stripe__invoices`. */
  readonly tableName: string
  /** `s3://<bucket>/raw/source=<source>/entity=<entity>/` */
  readonly location: string

  constructor(scope: Construct, id: string, props: RawTableProps) {
    super(scope, id)
    const partition = ENVELOPE_PARTITION.name
    this.tableName = rawTableName(props.source, props.entity)
    this.location = `s3://${props.bucket.bucketName}/${rawEntityPrefix(props.source, props.entity)}`
    this.table = new CfnTable(this, 'Table', {
      catalogId: Stack.of(this).account,
      databaseName: props.databaseName,
      tableInput: {
        name: this.tableName,
        description: `Landed ${props.source} ${props.entity} records: one envelope per JSON line, the vendor record as JSON text in payload.`,
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          EXTERNAL: 'TRUE',
          classification: 'json',
          compressionType: 'gzip',
          'projection.enabled': 'true',
          [`projection.${partition}.type`]: 'date',
          [`projection.${partition}.format`]: 'yyyy-MM-dd',
          [`projection.${partition}.range`]: `${props.projectionStart},NOW`,
          [`projection.${partition}.interval`]: '1',
          [`projection.${partition}.interval.unit`]: 'DAYS',
          'storage.location.template': `${this.location}${partition}=\${${partition}}/`,
        },
        partitionKeys: [{ name: partition, type: glueType(ENVELOPE_PARTITION.type) }],
        storageDescriptor: {
          location: this.location,
          compressed: true,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: {
            serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe',
            parameters: { 'timestamp.formats': ENVELOPE_TIMESTAMP_FORMATS },
          },
          columns: ENVELOPE_COLUMNS.map((column) => ({ name: column.name, type: glueType(column.type) })),
        },
      },
    })
  }
}
