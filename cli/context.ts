import { existsSync } from 'node:fs'
import type { Writable } from 'node:stream'
import { DEFAULT_WAREHOUSE_DIR, type WarehousePaths, warehousePaths } from '../core/config/warehouse.js'
import { DuckDbEngine } from '../core/engines/duckdb-engine.js'
import type { Engine } from '../core/engines/engine.js'
import { UserError } from '../core/errors.js'
import type { DialectName } from '../core/sql/dialect.js'

/** The global options every command accepts (CONTRACT.md). */
export interface GlobalOptions {
  readonly dir?: string
  readonly engine?: DialectName
  readonly json?: boolean
}

/** What a command needs from its surroundings; tests build one with captured streams. */
export interface CliContext {
  readonly paths: WarehousePaths
  readonly engineName: DialectName
  /** Schema prefix of the engine's deployment: none locally, `revops_` for the Glue databases on AWS. */
  readonly schemaPrefix: string
  readonly json: boolean
  readonly stdout: Writable
  readonly stderr: Writable
  /** Progress lines go to a terminal only, never into pipes or JSON output. */
  progress(message: string): void
  /** Opens the warehouse's engine; `readOnly` for commands that only answer questions. */
  openEngine(options?: { readOnly?: boolean }): Promise<Engine>
}

export interface Streams {
  readonly stdout: Writable & { isTTY?: boolean }
  readonly stderr: Writable & { isTTY?: boolean }
  readonly env: NodeJS.ProcessEnv
}

export function createContext(options: GlobalOptions, streams: Streams): CliContext {
  const dir = options.dir ?? streams.env.REVOPS_DIR ?? DEFAULT_WAREHOUSE_DIR
  const engineName = options.engine ?? 'duckdb'
  const json = options.json ?? false
  const interactive = Boolean(streams.stderr.isTTY) && !json
  const paths = warehousePaths(dir)
  return {
    paths,
    engineName,
    schemaPrefix: engineName === 'athena' ? (streams.env.REVOPS_SCHEMA_PREFIX ?? 'revops_') : '',
    json,
    stdout: streams.stdout,
    stderr: streams.stderr,
    progress: (message) => {
      if (interactive) streams.stderr.write(`${message}\n`)
    },
    openEngine: async (options = {}) => {
      if (engineName === 'duckdb') {
        if (options.readOnly && !existsSync(paths.duckdb)) {
          throw new UserError(`no warehouse at ${paths.dir}`, {
            hint: 'run `revops demo` or `revops build` first',
          })
        }
        return DuckDbEngine.open({ path: paths.duckdb, ...(options.readOnly ? { readOnly: true } : {}) })
      }
      // Athena: the deployed workgroup and database from REVOPS_ATHENA_* and AWS credentials from the usual places.
      const { AthenaEngine } = await import('../core/engines/athena-engine.js')
      return AthenaEngine.fromEnv(streams.env)
    },
  }
}
