import { z } from 'zod'
import { PHYSICAL_SCHEMA } from '../../core/config/names.js'
import type { ScalarType, TableRef } from '../../core/sql/dialect.js'
import { sqlText } from './compile.js'
import type { Target } from './target.js'

/**
 * What the framework created and where environments point, kept in two tables beside the data
 * (`physical.revops_objects`, `physical.revops_environments`) so state and tables live and die
 * together, on DuckDB and on Athena alike. Only objects recorded here are ever dropped.
 */
export const PhysicalObject = z.object({
  name: z.string(),
  model: z.string(),
  kind: z.enum(['table', 'view']),
  code_fingerprint: z.string(),
  build_fingerprint: z.string(),
  /** The data folder the framework chose for the table (Athena), null on DuckDB. */
  location: z.string().nullable(),
  /** JSON array of the physical objects it reads: views keep their tables alive. */
  depends_on: z.string(),
  /** Set by a full refresh and carried by later builds of the same code (fingerprint.ts). */
  refresh_key: z.string().nullable(),
  /** `building` until created and checked against its contract; `ready` after. */
  status: z.enum(['building', 'ready']),
  created_at: z.string(),
})
export type PhysicalObject = z.infer<typeof PhysicalObject>

export const EnvironmentEntry = z.object({
  environment: z.string(),
  model: z.string(),
  layer: z.string(),
  physical: z.string(),
  promoted_at: z.string(),
})
export type EnvironmentEntry = z.infer<typeof EnvironmentEntry>

const OBJECT_TYPES: Record<keyof PhysicalObject, ScalarType> = {
  name: 'varchar',
  model: 'varchar',
  kind: 'varchar',
  code_fingerprint: 'varchar',
  build_fingerprint: 'varchar',
  location: 'varchar',
  depends_on: 'varchar',
  refresh_key: 'varchar',
  status: 'varchar',
  created_at: 'timestamp',
}
const ENVIRONMENT_TYPES: Record<keyof EnvironmentEntry, ScalarType> = {
  environment: 'varchar',
  model: 'varchar',
  layer: 'varchar',
  physical: 'varchar',
  promoted_at: 'timestamp',
}

export class StateStore {
  readonly #objects = new Map<string, PhysicalObject>()
  readonly #environments: EnvironmentEntry[] = []

  private constructor(
    private readonly target: Target,
    private readonly objectsTable: TableRef,
    private readonly environmentsTable: TableRef,
  ) {}

  /** Creates the state tables on first use and reads them. */
  static async open(target: Target): Promise<StateStore> {
    const store = new StateStore(
      target,
      target.table(PHYSICAL_SCHEMA, 'revops_objects'),
      target.table(PHYSICAL_SCHEMA, 'revops_environments'),
    )
    await target.run(target.dialect.createSchema(target.schema(PHYSICAL_SCHEMA)), 'create schema physical')
    await store.#ensure(store.objectsTable, OBJECT_TYPES)
    await store.#ensure(store.environmentsTable, ENVIRONMENT_TYPES)
    await store.reload()
    return store
  }

  async reload(): Promise<void> {
    const d = this.target.dialect
    const objects = await this.target.run(
      `SELECT * FROM ${d.tableName(this.objectsTable)}`,
      'read build state',
    )
    this.#objects.clear()
    for (const row of objects.rows) {
      const object = PhysicalObject.parse(row)
      this.#objects.set(object.name, object)
    }
    const environments = await this.target.run(
      `SELECT * FROM ${d.tableName(this.environmentsTable)}`,
      'read environment state',
    )
    this.#environments.length = 0
    this.#environments.push(...environments.rows.map((r) => EnvironmentEntry.parse(r)))
  }

  objects(): PhysicalObject[] {
    return [...this.#objects.values()]
  }

  object(name: string): PhysicalObject | undefined {
    return this.#objects.get(name)
  }

  /** The ready tables of a model built from the same code, newest first: what an incremental build extends. */
  readySameCode(model: string, codeFingerprint: string): PhysicalObject[] {
    return this.objects()
      .filter((o) => o.model === model && o.code_fingerprint === codeFingerprint && o.status === 'ready')
      .sort((a, b) => b.created_at.localeCompare(a.created_at))
  }

  /** Where an environment's views point, by model. */
  environment(environment: string): Map<string, EnvironmentEntry> {
    return new Map(this.#environments.filter((e) => e.environment === environment).map((e) => [e.model, e]))
  }

  environments(): EnvironmentEntry[] {
    return [...this.#environments]
  }

  /** Recorded before the object is created, so a crash mid-build leaves a record for the janitor. */
  async recordBuilding(object: Omit<PhysicalObject, 'status' | 'created_at'>): Promise<PhysicalObject> {
    const recorded: PhysicalObject = { ...object, status: 'building', created_at: new Date().toISOString() }
    await this.#forgetRow(object.name)
    await this.target.run(
      `INSERT INTO ${this.target.dialect.tableName(this.objectsTable)} ${this.#select(recorded, OBJECT_TYPES)}`,
      `record ${object.name}`,
    )
    this.#objects.set(recorded.name, recorded)
    return recorded
  }

  async markReady(name: string): Promise<void> {
    const d = this.target.dialect
    await this.target.run(
      `UPDATE ${d.tableName(this.objectsTable)} SET ${d.quoteIdentifier('status')} = 'ready' WHERE ${d.quoteIdentifier('name')} = ${d.literal(name)}`,
      `record ${name} as ready`,
    )
    const object = this.#objects.get(name)
    if (object) this.#objects.set(name, { ...object, status: 'ready' })
  }

  /** After the object was dropped. */
  async forget(name: string): Promise<void> {
    await this.#forgetRow(name)
    this.#objects.delete(name)
  }

  /** Points an environment's models at physical objects, in one MERGE (atomic on both engines). */
  async setEnvironment(entries: readonly EnvironmentEntry[]): Promise<void> {
    if (entries.length === 0) return
    const d = this.target.dialect
    const source = entries.map((e) => this.#select(e, ENVIRONMENT_TYPES)).join('\nUNION ALL\n')
    await this.target.run(
      d.merge({
        target: this.environmentsTable,
        source,
        keys: ['environment', 'model'],
        columns: Object.keys(ENVIRONMENT_TYPES),
      }),
      'record environment views',
    )
    for (const entry of entries) {
      const at = this.#environments.findIndex(
        (e) => e.environment === entry.environment && e.model === entry.model,
      )
      if (at >= 0) this.#environments[at] = entry
      else this.#environments.push(entry)
    }
  }

  async #forgetRow(name: string): Promise<void> {
    const d = this.target.dialect
    await this.target.run(
      `DELETE FROM ${d.tableName(this.objectsTable)} WHERE ${d.quoteIdentifier('name')} = ${d.literal(name)}`,
      `forget ${name}`,
    )
  }

  async #ensure(table: TableRef, types: Record<string, ScalarType>): Promise<void> {
    const d = this.target.dialect
    const found = await this.target.run(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = ${d.literal(table.schema)} AND table_name = ${d.literal(table.name)}`,
      `look for ${table.name}`,
    )
    if (found.rows.length > 0) return
    const empty = `SELECT ${Object.entries(types)
      .map(([name, type]) => `CAST(NULL AS ${d.typeName(type)}) AS ${d.quoteIdentifier(name)}`)
      .join(', ')} WHERE 1 = 0`
    const location = this.target.freshLocation(table)
    await this.target.run(
      d.createTableAs(table, empty, location === undefined ? {} : { location }),
      `create ${table.name}`,
    )
  }

  /** A one-row SELECT of typed literals. */
  #select<T extends Record<string, string | null>>(row: T, types: Record<keyof T, ScalarType>): string {
    const d = this.target.dialect
    const value = (name: keyof T) => {
      const v = row[name] as string | null
      if (v !== null && types[name] === 'timestamp') return sqlText(d.timestampLiteral(v), d)
      return `CAST(${d.literal(v)} AS ${d.typeName(types[name])})`
    }
    return `SELECT ${Object.keys(types)
      .map((name) => `${value(name)} AS ${d.quoteIdentifier(name)}`)
      .join(', ')}`
  }
}
