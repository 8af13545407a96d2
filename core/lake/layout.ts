/**
 * The lake's key layout, identical in the local folder and in S3:
 *
 *   raw/source=<source>/entity=<entity>/ingest_date=YYYY-MM-DD/<name>.jsonl.gz   envelopes, create-only
 *   quarantine/source=<source>/ingest_date=YYYY-MM-DD/<name>.jsonl.gz           rejected records + reasons
 *   state/<source>/<entity>.json                                                 watermarks (conditional writes)
 *
 * Hive-style `key=value` folders let Athena's partition projection and DuckDB's hive
 * partitioning read the same keys.
 */

export const RAW_PREFIX = 'raw/'
export const QUARANTINE_PREFIX = 'quarantine/'
export const STATE_PREFIX = 'state/'

const NAME = /^[a-z][a-z0-9_]*$/
const DATE = /^\d{4}-\d{2}-\d{2}$/
const FILE = /^[A-Za-z0-9._-]+$/

function check(value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value)) throw new Error(`invalid ${what} in lake key: ${JSON.stringify(value)}`)
  return value
}

/** The folder of one source entity's envelopes (no trailing date), e.g. for listing or a table location. */
export function rawEntityPrefix(source: string, entity: string): string {
  return `${RAW_PREFIX}source=${check(source, NAME, 'source')}/entity=${check(entity, NAME, 'entity')}/`
}

export function rawKey(source: string, entity: string, ingestDate: string, fileName: string): string {
  return `${rawEntityPrefix(source, entity)}ingest_date=${check(ingestDate, DATE, 'ingest date')}/${check(fileName, FILE, 'file name')}`
}

export function quarantineKey(source: string, ingestDate: string, fileName: string): string {
  return `${QUARANTINE_PREFIX}source=${check(source, NAME, 'source')}/ingest_date=${check(ingestDate, DATE, 'ingest date')}/${check(fileName, FILE, 'file name')}`
}

export function stateKey(source: string, entity: string): string {
  return `${STATE_PREFIX}${check(source, NAME, 'source')}/${check(entity, NAME, 'entity')}.json`
}
