/**
 * "One more day of data" for the incremental build: the demo generator's exports end at a month
 * boundary and it cannot export a day later, so the bench derives the next day from the exports
 * themselves. For each rule's file it takes the records of the file's last day of activity and
 * writes them again one day later — as new records (events, charges, new contacts, ad report
 * rows) or as new versions of the same records (opportunities touched again). Only these delta
 * files are landed.
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'
import { parse } from 'csv-parse'

export const DAY_MS = 86_400_000

export interface NextDayRule {
  /** The export file, relative to the exports folder. */
  readonly file: string
  /** The field that dates a record (epoch seconds, an ISO instant or a date). */
  readonly time: string
  /** `new`: copies with new ids, every instant a day later; `touch`: the same records, `touch` fields a day later. */
  readonly mode: 'new' | 'touch'
  /** Fields moved a day later (in `new` mode: besides the time field, every ISO instant in the record is moved). */
  readonly touch?: readonly string[]
  /** In `new` mode, the id field given a new value (none for report rows keyed by date). */
  readonly id?: string
  /** In `new` mode, fields that must not repeat another record's value (an email would merge people). */
  readonly unique?: readonly string[]
}

export const NEXT_DAY_RULES: readonly NextDayRule[] = [
  { file: 'stripe/events.jsonl.gz', time: 'created', mode: 'new', id: 'id' },
  { file: 'stripe/charges.jsonl.gz', time: 'created', mode: 'new', id: 'id' },
  {
    file: 'hubspot/contacts.jsonl.gz',
    time: 'createdAt',
    mode: 'new',
    id: 'id',
    unique: ['properties.email'],
  },
  {
    file: 'salesforce/Opportunity.csv',
    time: 'SystemModstamp',
    mode: 'touch',
    touch: ['LastModifiedDate', 'SystemModstamp'],
  },
  { file: 'ads/google_ads.csv', time: 'segments.date', mode: 'new' },
  { file: 'ads/meta_ads.csv', time: 'date_start', mode: 'new', touch: ['date_stop'] },
  { file: 'ads/linkedin_ads.csv', time: 'start_date', mode: 'new', touch: ['end_date'] },
  { file: 'ads/ad_spend.csv', time: 'date', mode: 'new' },
]

/** The id suffix of records the next day adds. */
export const NEXT_ID = 'next1'

type Json = Record<string, unknown>
type Row = Record<string, string>

const DATE = /^\d{4}-\d{2}-\d{2}$/
const INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/

/** The instant (ms) a value denotes: epoch seconds, an ISO instant or a date; undefined otherwise. */
export function instantOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000
  if (typeof value !== 'string') return undefined
  if (DATE.test(value)) return Date.parse(`${value}T00:00:00Z`)
  if (INSTANT.test(value)) {
    const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
    return Number.isNaN(ms) ? undefined : ms
  }
  return undefined
}

/** The value moved by `days`, written as it was (epoch seconds, `…Z`, `…+0000` or a date). */
export function shiftValue<T>(value: T, days: number): T {
  const ms = instantOf(value)
  if (ms === undefined) return value
  const moved = ms + days * DAY_MS
  if (typeof value === 'number') return (moved / 1000) as T
  const text = value as unknown as string
  if (DATE.test(text)) return new Date(moved).toISOString().slice(0, 10) as T
  const iso = new Date(moved).toISOString()
  const zone = /([+-]\d{2}:?\d{2}|Z)$/.exec(text)?.[1] ?? 'Z'
  const fraction = /\.(\d+)/.exec(text)?.[1]
  const base = fraction === undefined ? iso.replace(/\.\d{3}Z$/, 'Z') : iso
  // Only UTC offsets appear in the exports; a `+0000` spelling is kept as is.
  return (zone === 'Z' ? base : base.replace(/Z$/, zone)).replace('T', text.includes('T') ? 'T' : ' ') as T
}

/** Moves every ISO instant and date string in a JSON value (epoch numbers are left alone). */
export function shiftInstants(value: unknown, days: number): unknown {
  if (typeof value === 'string') return shiftValue(value, days)
  if (Array.isArray(value)) return value.map((v) => shiftInstants(v, days))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, shiftInstants(v, days)]))
  }
  return value
}

function getPath(record: Json, path: string): unknown {
  if (path in record) return record[path]
  let at: unknown = record
  for (const step of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined
    at = (at as Json)[step]
  }
  return at
}

function setPath(record: Json, path: string, value: unknown): void {
  if (path in record) {
    record[path] = value
    return
  }
  const steps = path.split('.')
  let at = record
  for (const step of steps.slice(0, -1)) {
    const next = at[step]
    if (next === null || typeof next !== 'object') return
    at = next as Json
  }
  const last = steps.at(-1) as string
  if (last in at) at[last] = value
}

/** The record a day later under the rule (a JSON object or a CSV row). */
export function nextDayRecord<R extends Json>(record: R, rule: NextDayRule): R {
  let copy = structuredClone(record) as Json
  if (rule.mode === 'new') {
    copy = shiftInstants(copy, 1) as Json
    setPath(copy, rule.time, shiftValue(getPath(record, rule.time), 1))
    if (rule.id) {
      const id = `${String(getPath(record, rule.id))}${NEXT_ID}`
      setPath(copy, rule.id, id)
      if (getPath(copy, 'properties.hs_object_id') !== undefined) setPath(copy, 'properties.hs_object_id', id)
    }
    for (const field of rule.unique ?? []) {
      const value = getPath(copy, field)
      if (typeof value === 'string' && value !== '') setPath(copy, field, `${NEXT_ID}.${value}`)
    }
  }
  for (const field of rule.touch ?? []) setPath(copy, field, shiftValue(getPath(record, field), 1))
  return copy as R
}

/** Records dated within the last day before the latest instant in the file. */
export function inLastDay(time: number | undefined, latest: number): boolean {
  return time !== undefined && time > latest - DAY_MS && time <= latest
}

export interface NextDayFile {
  readonly file: string
  readonly rows: number
}

/** Writes the next day's delta files under `outDir`, mirroring the exports' folders. */
export async function writeNextDay(exportsDir: string, outDir: string): Promise<NextDayFile[]> {
  const written: NextDayFile[] = []
  for (const rule of NEXT_DAY_RULES) {
    const source = join(exportsDir, rule.file)
    if (!existsSync(source)) continue
    const time = (r: Json) => instantOf(getPath(r, rule.time))
    let latest = Number.NEGATIVE_INFINITY
    for await (const record of readRecords(source)) latest = Math.max(latest, time(record) ?? latest)
    const target = join(outDir, rule.file)
    await mkdir(dirname(target), { recursive: true })
    let rows = 0
    let header: string[] | undefined
    const quoteAll = rule.file.startsWith('salesforce/')
    async function* lines(): AsyncGenerator<string> {
      for await (const record of readRecords(source)) {
        if (!inLastDay(time(record), latest)) continue
        const next = nextDayRecord(record, rule)
        rows++
        if (!rule.file.endsWith('.csv')) {
          yield `${JSON.stringify(next)}\n`
          continue
        }
        if (header === undefined) {
          header = Object.keys(record)
          yield `${csvLine(header, quoteAll)}\n`
        }
        yield `${csvLine(
          header.map((h) => String(next[h] ?? '')),
          quoteAll,
        )}\n`
      }
    }
    const body = Readable.from(lines())
    if (target.endsWith('.gz')) await pipeline(body, createGzip(), createWriteStream(target))
    else await pipeline(body, createWriteStream(target))
    written.push({ file: rule.file, rows })
  }
  return written
}

export function csvLine(values: readonly string[], quoteAll: boolean): string {
  return values.map((v) => (quoteAll || /[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(',')
}

async function* readRecords(path: string): AsyncGenerator<Json> {
  const raw = createReadStream(path)
  const stream = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw
  if (path.endsWith('.csv') || path.endsWith('.csv.gz')) {
    for await (const row of stream.pipe(parse({ columns: true, relax_column_count: true }))) yield row as Row
    return
  }
  for await (const line of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line.trim() !== '') yield JSON.parse(line) as Json
  }
}
