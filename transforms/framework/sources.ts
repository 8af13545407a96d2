import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { RAW_SCHEMA } from '../../core/config/names.js'
import { ENVELOPE_COLUMNS, ENVELOPE_PARTITION } from '../../core/lake/envelope.js'
import type { LakeStore } from '../../core/lake/lake-store.js'
import { rawEntityPrefix } from '../../core/lake/layout.js'
import { LocalLakeStore } from '../../core/lake/local-lake-store.js'
import type { FileColumn } from '../../core/sql/dialect.js'
import type { Source } from './define-source.js'
import type { Target } from './target.js'

/**
 * How raw sources become readable tables, and what version of their data a build reads. The
 * version is part of every downstream build fingerprint: new raw files give new tables; no new
 * files, no rebuild.
 */
export interface SourceBinding {
  /** Makes every source readable as `raw.<source>__<entity>` and returns each one's data version by source id. */
  bind(target: Target, sources: readonly Source[]): Promise<Map<string, string>>
}

const COLUMNS: readonly FileColumn[] = ENVELOPE_COLUMNS
const PARTITIONS: readonly FileColumn[] = [ENVELOPE_PARTITION]
const LAKE_FILE = /\.jsonl(\.gz)?$/

/**
 * The local lake folder, read by the engine itself (DuckDB): each raw table is a view over the
 * entity's files with declared column types and the `ingest_date` folder as a column. An entity
 * with no file yet is an empty view with the same columns, so downstream models still build.
 * The view names the files it read, so a build sees exactly the files its version counts.
 */
export function localLakeSources(lakeDir: string): SourceBinding {
  const lake = new LocalLakeStore(lakeDir)
  return {
    async bind(target, sources) {
      const d = target.dialect
      await target.run(d.createSchema(target.schema(RAW_SCHEMA)), 'create schema raw')
      const versions = new Map<string, string>()
      for (const source of sources) {
        const files = (await listFiles(lake, source)).filter((f) => LAKE_FILE.test(f.key))
        versions.set(source.id, versionOf(files))
        const names = [...COLUMNS, ...PARTITIONS].map((c) => d.quoteIdentifier(c.name)).join(', ')
        const select = files.length
          ? `SELECT ${names} FROM ${d.readJsonLines(
              files.map((f) => join(lake.location, f.key)),
              COLUMNS,
              PARTITIONS,
            )}`
          : emptySelect(target)
        const table = target.table(source.table.schema, source.table.name)
        await target.run(d.createOrReplaceView(table, select), `source ${source.id}`)
      }
      return versions
    },
  }
}

/**
 * Raw tables that already exist in the catalog (on AWS the CDK app creates them in Glue).
 * With the lake's store, versions come from listing the entity's objects (cheap); without it,
 * from the table's row count and latest `_ingested_at` (a scan of the raw table).
 */
export function catalogSources(lake?: LakeStore): SourceBinding {
  return {
    async bind(target, sources) {
      const versions = new Map<string, string>()
      for (const source of sources) {
        if (lake) {
          versions.set(source.id, versionOf(await listFiles(lake, source)))
          continue
        }
        const d = target.dialect
        const { rows } = await target.run(
          `SELECT count(*) AS n, CAST(max(${d.quoteIdentifier('_ingested_at')}) AS VARCHAR) AS latest FROM ${d.tableName(target.table(source.table.schema, source.table.name))}`,
          `version of ${source.id}`,
        )
        versions.set(source.id, `${rows[0]?.n ?? 0}@${rows[0]?.latest ?? ''}`)
      }
      return versions
    },
  }
}

async function listFiles(lake: LakeStore, source: Source) {
  const files: { key: string; size: number }[] = []
  for await (const object of lake.list(rawEntityPrefix(source.source, source.entity))) files.push(object)
  return files
}

/** Raw objects are create-only with content-derived names, so their keys and sizes identify the data. */
function versionOf(files: readonly { key: string; size: number }[]): string {
  const hash = createHash('sha256')
  for (const f of [...files].sort((a, b) => a.key.localeCompare(b.key)))
    hash.update(`${f.key}\u0000${f.size}\n`)
  return files.length === 0 ? 'empty' : hash.digest('hex').slice(0, 16)
}

function emptySelect(target: Target): string {
  const d = target.dialect
  const columns = [...COLUMNS, ...PARTITIONS].map(
    (c) => `CAST(NULL AS ${d.typeName(c.type)}) AS ${d.quoteIdentifier(c.name)}`,
  )
  return `SELECT ${columns.join(', ')} WHERE 1 = 0`
}
