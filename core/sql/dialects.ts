import { AthenaDialect } from './athena/athena-dialect.js'
import type { DialectName, SqlDialect } from './dialect.js'
import { DuckDbDialect } from './duckdb/duckdb-dialect.js'

const DIALECTS: Record<DialectName, SqlDialect> = {
  duckdb: new DuckDbDialect(),
  athena: new AthenaDialect(),
}

export function getDialect(name: DialectName): SqlDialect {
  return DIALECTS[name]
}

/** Every registered dialect, so cross-dialect tests cover a new one automatically. */
export function allDialects(): SqlDialect[] {
  return Object.values(DIALECTS)
}
