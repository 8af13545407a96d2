import { DuckDbEngine } from '../../../core/engines/duckdb-engine.js'
import { ENVELOPE_COLUMNS, Envelope } from '../../../core/lake/envelope.js'
import type { LakeStore } from '../../../core/lake/lake-store.js'
import { getDialect } from '../../../core/sql/dialects.js'
import { keys, readLines } from '../../core/lake/lake-fixture.js'

/** Every envelope landed for a source (and entity), checked against the envelope schema. */
export async function envelopes(store: LakeStore, source: string, entity?: string): Promise<Envelope[]> {
  const prefix = `raw/source=${source}/${entity === undefined ? '' : `entity=${entity}/`}`
  return (await readLines(store, prefix)).map((line) => Envelope.parse(line))
}

/** Record versions (`_entity`, `_id`, `_updated_at`, payload) that landed more than once. */
export function landedTwice(all: readonly Envelope[]): string[] {
  const counts = new Map<string, number>()
  for (const e of all) {
    const key = JSON.stringify([e._entity, e._id, e._updated_at, e._deleted, e.payload])
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts].filter(([, n]) => n > 1).map(([key]) => key)
}

export interface StagingCheck {
  /** Rows after keeping the latest version per id. */
  readonly rows: number
  /** Distinct ids in raw. */
  readonly ids: number
  /** Ids that still have more than one row after the dedup (must be 0). */
  readonly duplicates: number
  /** Latest version per id (id → payload), for spot checks. */
  readonly latest: ReadonlyMap<string, { payload: string; deleted: boolean; updatedAt: string | null }>
}

/**
 * The staging dedup, as a staging model would run it on DuckDB over the local lake: the latest
 * version per `_id` by `_updated_at`, then `_ingested_at`.
 */
export async function stagingDedup(
  lakeRoot: string,
  store: LakeStore,
  source: string,
  entity: string,
): Promise<StagingCheck> {
  const files = (await keys(store, `raw/source=${source}/entity=${entity}/`)).map((k) => `${lakeRoot}/${k}`)
  if (files.length === 0) return { rows: 0, ids: 0, duplicates: 0, latest: new Map() }
  const engine = await DuckDbEngine.open({ path: ':memory:' })
  try {
    const from = getDialect('duckdb').readJsonLines(files, ENVELOPE_COLUMNS)
    const ranked = `select *, row_number() over (partition by _id order by _updated_at desc nulls last, _ingested_at desc) as rn from ${from}`
    const staged = `select * from (${ranked}) where rn = 1`
    const counts = await engine.run<{ rows: number; ids: number; duplicates: number }>(
      `select (select count(*) from (${staged})) as rows,
              (select count(distinct _id) from ${from}) as ids,
              (select count(*) from (select _id from (${staged}) group by _id having count(*) > 1)) as duplicates`,
    )
    const latest = await engine.run<{
      _id: string
      payload: string
      _deleted: boolean
      _updated_at: string | null
    }>(`select _id, payload, _deleted, _updated_at from (${staged})`)
    const row = counts.rows[0]
    return {
      rows: Number(row?.rows ?? 0),
      ids: Number(row?.ids ?? 0),
      duplicates: Number(row?.duplicates ?? 0),
      latest: new Map(
        latest.rows.map((r) => [
          r._id,
          { payload: r.payload, deleted: r._deleted, updatedAt: r._updated_at },
        ]),
      ),
    }
  } finally {
    await engine.close()
  }
}
