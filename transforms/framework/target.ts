import { randomUUID } from 'node:crypto'
import type { Engine, QueryResult, Row } from '../../core/engines/engine.js'
import { UserError } from '../../core/errors.js'
import type { SqlDialect, TableRef } from '../../core/sql/dialect.js'

export interface TargetOptions {
  /**
   * Prefix of every schema name on the engine. On AWS, Glue database names are shared by the
   * whole account, so `physical` is `revops_physical` there (core/config/names.ts). Default none.
   */
  readonly schemaPrefix?: string
  /**
   * Base URI of table data (Athena: `s3://bucket/warehouse`). Every table the framework creates
   * gets a fresh folder under it, so a build never writes where an earlier one did. Engines
   * that store tables themselves (DuckDB) need none.
   */
  readonly tableLocation?: string
  /** Stops running queries when aborted. */
  readonly signal?: AbortSignal
  /** Names each fresh location's folder; default a random UUID (compile output uses a fixed one). */
  readonly newId?: () => string
}

/**
 * Where models are built: an engine, the names of its schemas, and where new tables store their
 * data. Every statement the framework runs goes through `run`, which refuses statements longer
 * than the engine accepts. Retries are the engine's business (only it knows which of its
 * failures are transient), so nothing here retries: retrying twice would multiply attempts.
 */
export class Target {
  readonly dialect: SqlDialect
  readonly #prefix: string
  readonly #location: string | undefined

  constructor(
    readonly engine: Engine,
    private readonly options: TargetOptions = {},
  ) {
    this.dialect = engine.dialect
    this.#prefix = options.schemaPrefix ?? ''
    this.#location = options.tableLocation?.replace(/\/+$/, '')
  }

  /** A target that only renders SQL (for `revops compile`): running a statement is a bug. */
  static compileOnly(dialect: SqlDialect, options: TargetOptions = {}): Target {
    const engine: Engine = {
      dialect,
      run: () => Promise.reject(new Error('a compile-only target runs no SQL')),
      close: () => Promise.resolve(),
    }
    return new Target(engine, options)
  }

  /** The engine's name for a schema. */
  schema(name: string): string {
    return `${this.#prefix}${name}`
  }

  table(schema: string, name: string): TableRef {
    return { schema: this.schema(schema), name }
  }

  /** A folder no table has used: `<base>/<schema>/<table>/<uuid>/`, or undefined without a base. */
  freshLocation(table: TableRef): string | undefined {
    return (
      this.#location &&
      `${this.#location}/${table.schema}/${table.name}/${(this.options.newId ?? randomUUID)()}/`
    )
  }

  async run<R = Row>(sql: string, label: string): Promise<QueryResult<R>> {
    checkStatementSize(this.dialect, sql, label)
    return this.engine.run<R>(sql, [], {
      label,
      ...(this.options.signal ? { signal: this.options.signal } : {}),
    })
  }
}

/** Athena rejects statements over 262,144 bytes; fail before sending, naming what was too long. */
export function checkStatementSize(dialect: SqlDialect, sql: string, label: string): void {
  const bytes = Buffer.byteLength(sql, 'utf8')
  if (bytes > dialect.limits.maxQueryBytes) {
    throw new UserError(
      `${label}: the statement is ${bytes.toLocaleString('en-US')} bytes; ${dialect.name} accepts at most ${dialect.limits.maxQueryBytes.toLocaleString('en-US')}`,
      { hint: 'split the model, or move long literal lists (IN lists, VALUES) into a table' },
    )
  }
}
