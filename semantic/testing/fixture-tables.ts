import type { Engine, SqlValue } from '../../core/engines/engine.js'
import type { ScalarType } from '../../core/sql/dialect.js'

/** A small table given as typed columns and rows, for metric unit tests on DuckDB. */
export interface FixtureTable {
  readonly columns: Readonly<Record<string, ScalarType>>
  readonly rows: readonly Readonly<Record<string, SqlValue>>[]
}

/** Creates each table in `schema` (replacing it) and inserts its rows as literals. */
export async function loadFixtureTables(
  engine: Engine,
  schema: string,
  tables: Readonly<Record<string, FixtureTable>>,
): Promise<void> {
  const d = engine.dialect
  await engine.run(d.createSchema(schema))
  for (const [name, table] of Object.entries(tables)) {
    const ref = d.tableName({ schema, name })
    const columns = Object.entries(table.columns)
    await engine.run(`DROP TABLE IF EXISTS ${ref}`)
    await engine.run(
      `CREATE TABLE ${ref} (${columns.map(([c, t]) => `${d.quoteIdentifier(c)} ${d.typeName(t)}`).join(', ')})`,
    )
    if (table.rows.length === 0) continue
    for (const row of table.rows) {
      const unknown = Object.keys(row).filter((k) => !(k in table.columns))
      if (unknown.length) throw new Error(`fixture ${name}: unknown column ${unknown.join(', ')}`)
    }
    const values = table.rows.map(
      (row) =>
        `(${columns.map(([c, t]) => `CAST(${d.literal(row[c] ?? null)} AS ${d.typeName(t)})`).join(', ')})`,
    )
    await engine.run(`INSERT INTO ${ref} VALUES ${values.join(', ')}`)
  }
}

/** Every day from `from` to `to` inclusive, as rows of a `dim_date` spine table. */
export function dateSpine(from: string, to: string, column = 'date_day'): FixtureTable {
  const rows: Record<string, SqlValue>[] = []
  for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) {
    rows.push({ [column]: new Date(t).toISOString().slice(0, 10) })
  }
  return { columns: { [column]: 'date' }, rows }
}
