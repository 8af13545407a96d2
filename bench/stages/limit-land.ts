import { readdirSync, rmSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { basename, join, relative } from 'node:path'
import { DuckDbEngine } from '../../core/engines/duckdb-engine.js'
import { benchPaths, type StageOptions } from '../lib/paths.js'

export interface LimitLandResult {
  readonly files: readonly { file: string; rows: number }[]
  readonly landed: number
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`

/**
 * The limit for landing: DuckDB alone copies every export file into gzip JSON-lines envelopes in
 * the lake's key layout — no contracts, no quarantine, no duplicate detection, no state. With
 * `next: true`, the next day's delta files.
 */
export async function run(options: StageOptions & { next?: boolean }): Promise<LimitLandResult> {
  const paths = benchPaths(options.work)
  const from = options.next ? paths.nextDay : paths.exports
  if (!options.next) rmSync(paths.limitLake, { recursive: true, force: true })
  const engine = await DuckDbEngine.open({ path: ':memory:' })
  const day = new Date().toISOString().slice(0, 10)
  const files: { file: string; rows: number }[] = []
  try {
    for (const entry of readdirSync(from, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || entry.name.startsWith('.')) continue
      const path = join(entry.parentPath, entry.name)
      const file = relative(from, path)
      if (file.startsWith('_truth')) continue
      const [source] = file.split('/')
      const entity = basename(file).replace(/\.(jsonl|json|csv)(\.gz)?$/, '')
      const dir = join(paths.limitLake, 'raw', `source=${source}`, `entity=${entity}`, `ingest_date=${day}`)
      await mkdir(dir, { recursive: true })
      const csv = /\.csv(\.gz)?$/.test(file)
      const read = csv
        ? `(SELECT to_json(t) AS record FROM read_csv(${quote(path)}, all_varchar = true, header = true) t)`
        : `(SELECT json AS record FROM read_ndjson_objects(${quote(path)}))`
      const copy = `COPY (
        SELECT coalesce(record->>'$.id', record->>'$.Id', CAST(row_number() OVER () AS VARCHAR)) AS _id,
          ${quote(source as string)} AS _source, ${quote(entity)} AS _entity, now() AS _ingested_at,
          'limit' AS _run_id, false AS _deleted, CAST(NULL AS TIMESTAMP) AS _updated_at,
          CAST(record AS VARCHAR) AS payload
        FROM ${read}
      ) TO ${quote(join(dir, `${options.next ? 'next' : 'part'}-0.jsonl.gz`))} (FORMAT json, COMPRESSION gzip)`
      const result = await engine.run(copy)
      const count = Object.values(result.rows[0] ?? {})[0]
      files.push({ file, rows: Number(count ?? 0) })
    }
  } finally {
    await engine.close()
  }
  return { files, landed: files.reduce((sum, f) => sum + f.rows, 0) }
}
