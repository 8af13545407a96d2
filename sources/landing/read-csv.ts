import { Readable } from 'node:stream'
import { type CsvError, parse } from 'csv-parse'
import { ByteWindow } from './byte-window.js'
import { type ExportItem, UnreadableFileError } from './export-item.js'
import { readFailure } from './read-json-lines.js'

/** A row larger than this is an error, not a reason to buffer the rest of a file (a stray quote). */
const MAX_ROW_BYTES = 64 * 1024 * 1024

type ParsedRow =
  | { readonly kind: 'row'; readonly fields: string[]; readonly end: number }
  | { readonly kind: 'skip'; readonly error: CsvError | undefined; readonly end: number }

/**
 * CSV with a header row, streamed through csv-parse: quoted fields, embedded newlines, CRLF and a
 * UTF-8 BOM are handled by the parser; a row it cannot parse (wrong number of fields, a quote
 * never closed) becomes a malformed item with its text, and reading goes on. Line numbers and
 * row texts come from the bytes themselves (see ByteWindow). Values stay text; the entity's
 * contract types them.
 */
export async function* readCsv(bytes: AsyncIterable<Buffer>): AsyncGenerator<ExportItem> {
  const window = new ByteWindow()
  // Rows and skipped rows in parse order (the parser's callbacks run in order, ahead of its output).
  const parsed: ParsedRow[] = []
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_ROW_BYTES,
    on_record: (record: string[], context: { bytes: number }) => {
      parsed.push({ kind: 'row', fields: record, end: context.bytes })
      return record
    },
    on_skip: (error: CsvError | undefined) => {
      const end =
        error?.code === 'CSV_QUOTE_NOT_CLOSED'
          ? Number.POSITIVE_INFINITY
          : ((error as { bytes?: number } | undefined)?.bytes ?? 0)
      parsed.push({ kind: 'skip', error, end })
      return undefined
    },
  })
  async function* feed(): AsyncGenerator<Buffer> {
    for await (const piece of bytes) {
      window.append(piece)
      yield piece
    }
  }
  const output = Readable.from(feed()).pipe(parser)
  let header: string[] | undefined
  let previousEnd = 0
  let line = 1
  // Reports parsed rows up to and including the parser's output `through` (all of them if undefined).
  const next = function* (through?: string[]): Generator<ExportItem> {
    for (let row = parsed.shift(); row !== undefined; row = parsed.shift()) {
      const at = window.row(previousEnd, row.end)
      previousEnd = Math.max(previousEnd, row.end)
      line = at.line
      if (row.kind === 'skip') {
        yield {
          kind: 'malformed',
          line: at.line,
          reason: `not a valid CSV row: ${row.error?.message ?? 'unreadable'}`,
          raw: at.text,
        }
      } else if (header === undefined) {
        header = checkHeader(row.fields)
      } else {
        const value = Object.fromEntries(header.map((name, i) => [name, row.fields[i] ?? '']))
        yield { kind: 'record', line: at.line, value, raw: at.text, payload: undefined }
      }
      if (row.kind === 'row' && row.fields === through) return
    }
  }
  try {
    // The output only paces the reading; rows are taken from `parsed`, in parse order.
    for await (const fields of output as AsyncIterable<string[]>) {
      yield* next(fields)
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error
    yield* next()
    throw new UnreadableFileError(line + 1, readFailure(error))
  }
  yield* next()
}

function checkHeader(fields: string[]): string[] {
  const seen = new Set<string>()
  for (const name of fields) {
    if (name.trim() === '' || seen.has(name)) {
      throw new UnreadableFileError(
        1,
        `the CSV header has an empty or repeated column name ${JSON.stringify(name)}`,
      )
    }
    seen.add(name)
  }
  return fields
}
