import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  type QueryResult,
} from 'kysely'
import type { Engine, SqlValue } from '../engines/engine.js'
import type { SqlDialect } from './dialect.js'

/** A Kysely instance that runs its queries on an engine (DuckDB or Athena). */
export function createKysely<DB>(engine: Engine): Kysely<DB> {
  return new Kysely<DB>({ dialect: kyselyDialect(engine.dialect, () => new EngineDriver(engine)) })
}

/** A Kysely instance that only compiles, e.g. to render Athena SQL with no connection. */
export function compileOnlyKysely<DB>(dialect: SqlDialect): Kysely<DB> {
  return new Kysely<DB>({ dialect: kyselyDialect(dialect, () => new DummyDriver()) })
}

function kyselyDialect(dialect: SqlDialect, createDriver: () => Driver): Dialect {
  return {
    createDriver,
    createQueryCompiler: () => dialect.createQueryCompiler(),
    // Postgres' adapter and introspector fit both engines: no transactional DDL is assumed anywhere.
    createAdapter: () => new PostgresAdapter(),
    createIntrospector: (db) => new PostgresIntrospector(db),
  }
}

class EngineDriver implements Driver {
  readonly #connection: EngineConnection

  constructor(engine: Engine) {
    this.#connection = new EngineConnection(engine)
  }

  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery({ sql: 'BEGIN TRANSACTION', parameters: [] } as unknown as CompiledQuery)
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery({ sql: 'COMMIT', parameters: [] } as unknown as CompiledQuery)
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery({ sql: 'ROLLBACK', parameters: [] } as unknown as CompiledQuery)
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

class EngineConnection implements DatabaseConnection {
  constructor(private readonly engine: Engine) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.engine.run<R>(compiled.sql, compiled.parameters as readonly SqlValue[])
    return { rows: result.rows }
  }

  // biome-ignore lint/correctness/useYield: neither engine streams rows through Kysely; results are read whole.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported; use Engine.run')
  }
}
