import { sql } from 'kysely'
import { PHYSICAL_SCHEMA } from '../../core/config/names.js'
import type { SqlValue } from '../../core/engines/engine.js'
import { UserError } from '../../core/errors.js'
import type { SqlDialect, TableRef } from '../../core/sql/dialect.js'
import { compileModel, type InputResolver, sqlText } from './compile.js'
import { type ContractColumn, contractColumns, contractViolation } from './contract.js'
import type { MaterializationConfig, Model } from './define-model.js'
import type { Fingerprint } from './fingerprint.js'
import type { PhysicalObject, StateStore } from './state.js'
import type { Target } from './target.js'

/** What to build: a model at a fingerprint, into a physical name, reading inputs where `resolve` says. */
export interface BuildRequest {
  readonly model: Model
  readonly fingerprint: Fingerprint
  readonly physical: TableRef
  readonly resolve: InputResolver
  /** Physical names of the objects it reads (views keep them alive in the janitor's eyes). */
  readonly dependsOn: readonly string[]
  /** Incremental models ignore their previous build and start over. */
  readonly fullRefresh: boolean
  /** The incremental model's refresh key (fingerprint.ts); only builds with the same key are extended. */
  readonly refreshKey: string | undefined
}

export interface BuildOutcome {
  /** `reused`: the table for this fingerprint exists; `full`: built from the query; `incremental`: seeded and extended. */
  readonly action: 'reused' | 'full' | 'incremental'
  /** Rows in the table (views and reused objects: not counted). */
  readonly rows: number | null
  readonly bytesScanned: number
  /** The previous build an incremental table was copied from. */
  readonly seededFrom: string | undefined
}

/**
 * Builds a model into its own new physical object and checks it against the contract, or
 * reuses the object already built at this fingerprint. Nothing an environment shows is touched:
 * environments switch to the new object only after it is built and tested (environments.ts).
 *
 * Incremental models: the new table (new build fingerprint: new data upstream) is a copy of the
 * latest ready table built from the *same code* (same code fingerprint), extended by a merge or
 * a delete+insert of the recent range. Same code means the old rows were computed the way the
 * new ones would be, so copying them is exact, and the previous table stays untouched behind
 * its environments until the swap. When the code changed, old rows may be wrong: full build.
 */
export async function materialize(
  target: Target,
  state: StateStore,
  request: BuildRequest,
): Promise<BuildOutcome> {
  const { model, physical } = request
  const existing = state.object(physical.name)
  if (existing?.status === 'ready')
    return { action: 'reused', rows: null, bytesScanned: 0, seededFrom: undefined }
  if (existing !== undefined) await drop(target, state, existing) // a build that crashed half-way

  const config = model.materialized
  if (config.kind === 'ephemeral') throw new Error(`ephemeral model ${model.name} is inlined, never built`)
  const kind = config.kind === 'view' ? 'view' : 'table'
  const location = kind === 'table' ? target.freshLocation(physical) : undefined
  const candidate =
    config.kind === 'incremental' && !request.fullRefresh
      ? state
          .readySameCode(model.name, request.fingerprint.code)
          .find((o) => o.name !== physical.name && o.refresh_key === (request.refreshKey ?? null))
      : undefined
  // An empty previous build seeds nothing, and `incremental.max(…)` over it is NULL: build in full.
  const seed = candidate && (await hasRows(target, physical.schema, candidate.name)) ? candidate : undefined
  const recorded = await state.recordBuilding({
    name: physical.name,
    model: model.name,
    kind,
    code_fingerprint: request.fingerprint.code,
    build_fingerprint: request.fingerprint.build,
    location: location ?? null,
    depends_on: JSON.stringify(request.dependsOn),
    refresh_key: request.refreshKey ?? null,
  })
  const writer = new Writer(target, model)
  try {
    const select = compileModel(model, target.dialect, request.resolve)
    if (config.kind === 'view') {
      await writer.run(target.dialect.createOrReplaceView(physical, select), 'create view')
    } else if (seed === undefined || config.kind !== 'incremental') {
      await writer.create(physical, select, config.partitionedBy, location)
    } else {
      const previous = { schema: physical.schema, name: seed.name }
      await writer.create(
        physical,
        `SELECT * FROM ${target.dialect.tableName(previous)}`,
        config.partitionedBy,
        location,
      )
      await extend(writer, request, config, previous)
    }
    await writer.checkContract(physical)
    const rows = kind === 'table' ? await writer.count(physical) : null
    await state.markReady(physical.name)
    return {
      action: seed && config.kind === 'incremental' ? 'incremental' : 'full',
      rows,
      bytesScanned: writer.bytesScanned,
      seededFrom: seed?.name,
    }
  } catch (error) {
    // Ours, half-written or failing its contract: never leave it for anything to read.
    await drop(target, state, recorded).catch(() => undefined)
    throw error
  }
}

type Incremental = Extract<MaterializationConfig, { kind: 'incremental' }>

async function extend(writer: Writer, request: BuildRequest, config: Incremental, previous: TableRef) {
  const { model, physical, resolve } = request
  const dialect = writer.dialect
  if (config.strategy === 'merge') {
    const select = compileModel(model, dialect, resolve, { previous, since: undefined })
    await writer.merge(physical, mergeSource(dialect, select, writer.columns, config), config)
    return
  }
  const since = await writer.sinceOf(previous, config)
  const select = compileModel(model, dialect, resolve, { previous, since })
  if (since !== undefined)
    await writer.run(deleteSince(dialect, physical, config.timeColumn, since), 'delete range')
  await writer.insert(physical, sinceFilter(dialect, select, config.timeColumn, since), config.partitionedBy)
}

/** Runs a model's statements, labelled with the model, and splits writes into partition batches. */
class Writer {
  readonly dialect: SqlDialect
  readonly columns: readonly ContractColumn[]
  bytesScanned = 0

  constructor(
    private readonly target: Target,
    private readonly model: Model,
  ) {
    this.dialect = target.dialect
    this.columns = contractColumns(`model ${model.name}`, model.columns)
  }

  async run(sql: string, what: string) {
    const result = await this.target.run(sql, `model ${this.model.name} (${what})`)
    this.bytesScanned += result.stats.bytesScanned ?? 0
    return result
  }

  /** CTAS, in batches of partitions when the rows span more than the engine writes at once. */
  async create(
    table: TableRef,
    select: string,
    partitionedBy: readonly string[],
    location: string | undefined,
  ) {
    const batches = await this.batches(select, partitionedBy)
    const [first, ...rest] = batches
    const options = { partitionedBy, ...(location === undefined ? {} : { location }) }
    await this.run(this.dialect.createTableAs(table, filtered(select, first), options), 'create table')
    for (const batch of rest) await this.run(this.insertSql(table, filtered(select, batch)), 'insert batch')
  }

  async insert(table: TableRef, select: string, partitionedBy: readonly string[]) {
    for (const batch of await this.batches(select, partitionedBy)) {
      await this.run(this.insertSql(table, filtered(select, batch)), 'insert')
    }
  }

  async merge(table: TableRef, source: string, config: Incremental) {
    for (const batch of await this.batches(source, config.partitionedBy)) {
      const sql = this.dialect.merge({
        target: table,
        source: filtered(source, batch),
        keys: config.strategy === 'merge' ? config.uniqueKey : [],
        columns: this.columns.map((c) => c.name),
      })
      await this.run(sql, 'merge')
    }
  }

  /** The first day to rebuild: the previous build's latest day minus the lookback, or undefined when it is empty. */
  async sinceOf(previous: TableRef, config: Extract<Incremental, { strategy: 'delete+insert' }>) {
    const d = this.dialect
    const family = this.columns.find((c) => c.name === config.timeColumn)?.family
    const max = sql.raw<string>(`max(${d.quoteIdentifier(config.timeColumn)})`)
    const since = sqlText(d.dateAdd('day', -config.lookbackDays, family === 'date' ? max : d.toDate(max)), d)
    const { rows } = await this.run(`SELECT ${since} AS since FROM ${d.tableName(previous)}`, 'find range')
    const value = rows[0]?.since
    return typeof value === 'string' ? value : undefined
  }

  async checkContract(table: TableRef) {
    const { columns } = await this.run(
      `SELECT * FROM ${this.dialect.tableName(table)} LIMIT 0`,
      'read columns',
    )
    const violation = contractViolation(this.columns, columns)
    if (violation) {
      throw new UserError(
        `model ${this.model.name}: the built table does not match its columns: ${violation}`,
      )
    }
  }

  async count(table: TableRef): Promise<number> {
    const { rows } = await this.run(
      `SELECT count(*) AS n FROM ${this.dialect.tableName(table)}`,
      'count rows',
    )
    return Number(rows[0]?.n ?? 0)
  }

  private insertSql(table: TableRef, select: string) {
    return insertSelect(this.dialect, table, this.columns, select)
  }

  /**
   * Predicates that split a write into groups of at most `maxPartitionsPerWrite` partition
   * values, planned before writing (Athena fails a write that opens more than 100 partitions).
   * One undefined batch means "everything at once".
   */
  private async batches(select: string, partitionedBy: readonly string[]): Promise<(string | undefined)[]> {
    const limit = this.dialect.limits.maxPartitionsPerWrite
    if (partitionedBy.length === 0 || !Number.isFinite(limit)) return [undefined]
    const d = this.dialect
    const names = partitionedBy.map((p) => d.quoteIdentifier(p)).join(', ')
    const { rows } = await this.run(
      `SELECT DISTINCT ${names} FROM (${select}) AS revops_rows ORDER BY ${names}`,
      'plan partition batches',
    )
    if (rows.length <= limit) return [undefined]
    const batches: string[] = []
    for (let i = 0; i < rows.length; i += limit) {
      const terms = rows
        .slice(i, i + limit)
        .map((row) => partitionedBy.map((p) => this.equals(p, row[p] ?? null)).join(' AND '))
      batches.push(terms.map((t) => `(${t})`).join(' OR '))
    }
    return batches
  }

  private equals(column: string, value: SqlValue): string {
    const d = this.dialect
    const name = d.quoteIdentifier(column)
    if (value === null) return `${name} IS NULL`
    const family = this.columns.find((c) => c.name === column)?.family
    if (family === 'date') return `${name} = ${sqlText(d.dateLiteral(String(value)), d)}`
    if (family === 'timestamp') return `${name} = ${sqlText(d.timestampLiteral(String(value)), d)}`
    return `${name} = ${d.literal(value)}`
  }
}

function filtered(select: string, predicate: string | undefined): string {
  return predicate === undefined ? select : `SELECT * FROM (${select}) AS revops_batch WHERE ${predicate}`
}

/**
 * A merge source holds one row per key: Athena's MERGE fails when two source rows match one
 * target row. The row with the largest `latestBy` wins (any one when there is none).
 */
export function mergeSource(
  dialect: SqlDialect,
  select: string,
  columns: readonly ContractColumn[],
  config: Extract<Incremental, { strategy: 'merge' }>,
): string {
  const q = (c: string) => dialect.quoteIdentifier(c)
  const order = config.latestBy === undefined ? '' : ` ORDER BY ${q(config.latestBy)} DESC NULLS LAST`
  const names = columns.map((c) => q(c.name)).join(', ')
  return [
    `SELECT ${names} FROM (`,
    `SELECT revops_new.*, row_number() OVER (PARTITION BY ${config.uniqueKey.map(q).join(', ')}${order}) AS revops_row`,
    `FROM (${select}) AS revops_new`,
    `) AS revops_ranked WHERE revops_row = 1`,
  ].join('\n')
}

/** INSERT of a SELECT's rows, naming the contract's columns so column order never matters. */
export function insertSelect(
  dialect: SqlDialect,
  table: TableRef,
  columns: readonly ContractColumn[],
  select: string,
): string {
  const names = columns.map((c) => dialect.quoteIdentifier(c.name)).join(', ')
  return `INSERT INTO ${dialect.tableName(table)} (${names})\nSELECT ${names} FROM (${select}) AS revops_rows`
}

export function deleteSince(dialect: SqlDialect, table: TableRef, column: string, since: string): string {
  return `DELETE FROM ${dialect.tableName(table)} WHERE ${dialect.quoteIdentifier(column)} >= ${sqlText(dialect.dateLiteral(since), dialect)}`
}

export function sinceFilter(
  dialect: SqlDialect,
  select: string,
  column: string,
  since: string | undefined,
): string {
  return since === undefined
    ? select
    : filtered(
        select,
        `${dialect.quoteIdentifier(column)} >= ${sqlText(dialect.dateLiteral(since), dialect)}`,
      )
}

async function hasRows(target: Target, schema: string, name: string): Promise<boolean> {
  const d = target.dialect
  const table = d.tableName({ schema, name })
  const { rows } = await target.run(`SELECT 1 AS found FROM ${table} LIMIT 1`, `look into ${name}`)
  return rows.length > 0
}

/** Drops an object the framework recorded, then forgets it. Never anything it did not record. */
export async function drop(target: Target, state: StateStore, object: PhysicalObject): Promise<void> {
  const table = target.table(PHYSICAL_SCHEMA, object.name)
  const d = target.dialect
  await target.run(object.kind === 'view' ? d.dropView(table) : d.dropTable(table), `drop ${object.name}`)
  await state.forget(object.name)
}
