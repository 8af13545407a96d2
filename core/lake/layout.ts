/**
 * The lake's key layout, identical in the local folder and in S3:
 *
 *   raw/source=<source>/entity=<entity>/ingest_date=YYYY-MM-DD/<name>.jsonl.gz   envelopes, create-only
 *   quarantine/source=<source>/ingest_date=YYYY-MM-DD/<name>.jsonl.gz           rejected records + reasons
 *   state/<source>/<entity>.json                                                 watermarks (conditional writes)
 *   state/pull/<source>/<feed>.json                                              a pull's open window and resume
 *                                                                                cursor (conditional writes)
 *   state/landed/<dated key without its ingest_date=… folder>.json                first landing of a raw or
 *                                                                                quarantine object (create-only)
 *
 * Raw and quarantine object names are content hashes, and `ingest_date` is the day an object first
 * landed: the `state/landed/` marker pins that day, so landing the same content again on a later
 * day finds the object instead of writing a copy under a new date.
 *
 * Hive-style `key=value` folders let Athena's partition projection and DuckDB's hive
 * partitioning read the same keys.
 */

export const RAW_PREFIX = 'raw/'
export const QUARANTINE_PREFIX = 'quarantine/'
export const STATE_PREFIX = 'state/'
export const LANDED_PREFIX = `${STATE_PREFIX}landed/`

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

export const PULL_STATE_PREFIX = `${STATE_PREFIX}pull/`

/** The progress of one pull feed (its open window, where it resumes, the identities in its overlap). */
export function pullStateKey(source: string, feed: string): string {
  return `${PULL_STATE_PREFIX}${check(source, NAME, 'source')}/${check(feed, NAME, 'feed')}.json`
}

const INGEST_DATE_FOLDER = /\/ingest_date=\d{4}-\d{2}-\d{2}\//

/** The marker that pins the first landing of a dated raw/ or quarantine/ key, whatever day it lands again. */
export function landedMarkerKey(datedKey: string): string {
  const undated = datedKey.replace(INGEST_DATE_FOLDER, '/')
  if (undated === datedKey || !(datedKey.startsWith(RAW_PREFIX) || datedKey.startsWith(QUARANTINE_PREFIX))) {
    throw new Error(`not a dated raw or quarantine key: ${JSON.stringify(datedKey)}`)
  }
  return `${LANDED_PREFIX}${undated}.json`
}

/** The same object under another ingest date (markers pin the day an object first landed). */
export function sameObjectElsewhere(a: string, b: string): boolean {
  return a.replace(INGEST_DATE_FOLDER, '/') === b.replace(INGEST_DATE_FOLDER, '/')
}

/** `YYYY-MM-DD` (UTC) of an instant: the `ingest_date` partition of what lands at that moment. */
export function ingestDateOf(instant: Date): string {
  return instant.toISOString().slice(0, 10)
}
