import { Match, Template } from 'aws-cdk-lib/assertions'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  glueDatabaseName,
  LAYERS,
  layerSchema,
  METRICS_SCHEMA,
  PHYSICAL_SCHEMA,
  RAW_SCHEMA,
  rawTableName,
} from '../../../core/config/names.js'
import { ENVELOPE_COLUMNS } from '../../../core/lake/envelope.js'
import { rawKey } from '../../../core/lake/layout.js'
import { ENVELOPE_TIMESTAMP_FORMATS } from '../../../infra/constructs/raw-table.js'
import { type SynthesizedApp, synthRevopsApp } from '../synth-app.js'

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation template JSON, checked by the assertions
type Json = any

// biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's projection placeholder, not a JS template
const PLACEHOLDER = '${ingest_date}'

let synthesized: SynthesizedApp
let template: Template

beforeAll(() => {
  // finance disabled: a disabled source must get no raw tables.
  synthesized = synthRevopsApp({ sources: { finance: { enabled: false } } })
  template = Template.fromStack(synthesized.stacks.catalog)
})
afterAll(() => synthesized?.cleanup())

function tableInput(name: string): Json {
  const tables = Object.values(template.findResources('AWS::Glue::Table')) as Json[]
  const table = tables.find((t) => t.Properties.TableInput.Name === name)
  if (!table) throw new Error(`no Glue table ${name}`)
  return table.Properties.TableInput
}

/** A Fn::Join of literal strings and one reference, rendered with the reference as `<ref>`. */
function joined(value: Json): string {
  const parts = value?.['Fn::Join']?.[1] as Json[] | undefined
  if (!parts) throw new Error(`not a Fn::Join: ${JSON.stringify(value)}`)
  return parts.map((p) => (typeof p === 'string' ? p : '<ref>')).join('')
}

describe('CatalogStack', () => {
  it('creates one Glue database per schema, named by core/config/names.ts, retained', () => {
    const expected = [
      RAW_SCHEMA,
      ...LAYERS.map((layer) => layerSchema('prod', layer)),
      METRICS_SCHEMA,
      PHYSICAL_SCHEMA,
    ].map((schema) => glueDatabaseName(schema))
    const databases = Object.values(template.findResources('AWS::Glue::Database')) as Json[]
    expect(databases.map((d) => d.Properties.DatabaseInput.Name).sort()).toEqual([...expected].sort())
    expect(expected).toEqual([
      'revops_raw',
      'revops_staging',
      'revops_intermediate',
      'revops_marts',
      'revops_metrics',
      'revops_physical',
    ])
    for (const database of databases) expect(database.DeletionPolicy).toBe('Retain')
  })

  it('points the raw database at raw/ and the others at the warehouse bucket', () => {
    const byName = new Map(
      (Object.values(template.findResources('AWS::Glue::Database')) as Json[]).map((d) => [
        d.Properties.DatabaseInput.Name,
        joined(d.Properties.DatabaseInput.LocationUri),
      ]),
    )
    expect(byName.get('revops_raw')).toBe('s3://<ref>/raw/')
    expect(byName.get('revops_marts')).toBe('s3://<ref>/revops_marts/')
  })

  it('creates a raw table per entity of every enabled source, and none for disabled ones', () => {
    const expected = Object.entries(synthesized.config.sources)
      .filter(([, source]) => source.enabled)
      .flatMap(([source, { entities }]) => entities.map((entity) => rawTableName(source, entity)))
    const tables = Object.values(template.findResources('AWS::Glue::Table')) as Json[]
    expect(tables.map((t) => t.Properties.TableInput.Name).sort()).toEqual(expected.sort())
    expect(expected).toHaveLength(29)
    expect(expected.some((name) => name.startsWith('finance__'))).toBe(false)
    template.resourceCountIs('AWS::Glue::Crawler', 0)
  })

  it('declares the envelope columns over gzip JSON lines with the Hive JSON SerDe', () => {
    const input = tableInput('stripe__invoices')
    expect(input.TableType).toBe('EXTERNAL_TABLE')
    expect(input.StorageDescriptor.Columns).toEqual([
      { Name: '_id', Type: 'string' },
      { Name: '_source', Type: 'string' },
      { Name: '_entity', Type: 'string' },
      { Name: '_ingested_at', Type: 'timestamp' },
      { Name: '_run_id', Type: 'string' },
      { Name: '_deleted', Type: 'boolean' },
      { Name: '_updated_at', Type: 'timestamp' },
      { Name: 'payload', Type: 'string' },
    ])
    expect(input.StorageDescriptor.Columns.map((c: Json) => c.Name)).toEqual(
      ENVELOPE_COLUMNS.map((c) => c.name),
    )
    expect(input.PartitionKeys).toEqual([{ Name: 'ingest_date', Type: 'date' }])
    expect(input.StorageDescriptor).toMatchObject({
      InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
      OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
      Compressed: true,
      SerdeInfo: {
        SerializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe',
        Parameters: { 'timestamp.formats': ENVELOPE_TIMESTAMP_FORMATS },
      },
    })
    expect(input.Parameters).toMatchObject({
      classification: 'json',
      compressionType: 'gzip',
      EXTERNAL: 'TRUE',
    })
  })

  it('projects ingest_date partitions as dates from the configured start until now', () => {
    expect(tableInput('hubspot__deals').Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.ingest_date.type': 'date',
      'projection.ingest_date.format': 'yyyy-MM-dd',
      'projection.ingest_date.range': `${synthesized.config.rawProjectionStart},NOW`,
      'projection.ingest_date.interval': '1',
      'projection.ingest_date.interval.unit': 'DAYS',
    })
  })

  it('locates each partition exactly where core/lake/layout.ts writes it', () => {
    const input = tableInput('salesforce__opportunity_field_history')
    const template = joined(input.Parameters['storage.location.template'])
    expect(template).toBe(
      `s3://<ref>/raw/source=salesforce/entity=opportunity_field_history/ingest_date=${PLACEHOLDER}/`,
    )
    const key = rawKey('salesforce', 'opportunity_field_history', '2026-03-01', 'run-1.jsonl.gz')
    expect(`${template.replace(PLACEHOLDER, '2026-03-01')}run-1.jsonl.gz`).toBe(`s3://<ref>/${key}`)
    expect(joined(input.StorageDescriptor.Location)).toBe(
      's3://<ref>/raw/source=salesforce/entity=opportunity_field_history/',
    )
  })

  it('reads the raw bucket of the storage stack and puts every table in the raw database', () => {
    const raw = Object.entries(template.findResources('AWS::Glue::Database')).find(
      ([, d]) => (d as Json).Properties.DatabaseInput.Name === 'revops_raw',
    )
    template.allResourcesProperties('AWS::Glue::Table', { DatabaseName: { Ref: raw?.[0] } })
    const location = tableInput('stripe__events').StorageDescriptor.Location['Fn::Join'][1][1]
    expect(JSON.stringify(location)).toMatch(/Raw/)
    expect(synthesized.stacks.catalog.dependencies).toContain(synthesized.stacks.storage)
    template.hasResourceProperties('AWS::Glue::Table', { TableInput: { Name: 'ads__ad_spend' } })
    template.hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: Match.objectLike({ Name: 'revops_physical' }),
    })
  })
})
