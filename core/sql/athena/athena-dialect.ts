import type { CreateTableAsOptions, DialectLimits, TableRef } from '../dialect.js'
import { TrinoDialect } from '../trino/trino-dialect.js'

/** Amazon Athena engine v3: Trino SQL, Iceberg tables in Parquet, and Athena's service limits. */
export class AthenaDialect extends TrinoDialect {
  readonly name = 'athena'
  // Athena rejects statements over 262,144 bytes and CTAS/INSERT writing more than 100 partitions.
  readonly limits: DialectLimits = { maxQueryBytes: 262_144, maxPartitionsPerWrite: 100 }

  createTableAs(table: TableRef, select: string, options: CreateTableAsOptions = {}): string {
    const properties = [
      `table_type = 'ICEBERG'`,
      `is_external = false`,
      `format = 'PARQUET'`,
      `write_compression = 'ZSTD'`,
    ]
    if (options.location !== undefined) properties.push(`location = ${this.literal(options.location)}`)
    if (options.partitionedBy?.length) {
      properties.push(
        `partitioning = ARRAY[${options.partitionedBy.map((c) => this.literal(this.checkedColumn(c))).join(', ')}]`,
      )
    }
    return `CREATE TABLE ${this.tableName(table)}\nWITH (${properties.join(', ')}) AS\n${select}`
  }

  // Athena runs DROP TABLE and CREATE SCHEMA as Hive DDL, which quotes identifiers with backticks
  // (a double-quoted name is a syntax error there). CTAS, views and MERGE are Trino SQL.
  override dropTable(table: TableRef): string {
    return `DROP TABLE IF EXISTS ${this.hiveName(table.schema)}.${this.hiveName(table.name)}`
  }

  override createSchema(schema: string): string {
    return `CREATE SCHEMA IF NOT EXISTS ${this.hiveName(schema)}`
  }

  private hiveName(name: string): string {
    return `\`${this.quoteIdentifier(name).slice(1, -1)}\``
  }

  private checkedColumn(column: string): string {
    this.quoteIdentifier(column)
    return column
  }
}
