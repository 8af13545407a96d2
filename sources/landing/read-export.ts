import type { ExportFormat } from '../registry.js'
import { type ExportItem, UnreadableFileError } from './export-item.js'
import { decodeUtf8, gunzipIfGzip, peekFirstChar } from './open-export.js'
import { readCsv } from './read-csv.js'
import { readJsonArray } from './read-json-array.js'
import { readFailure, readJsonLines } from './read-json-lines.js'

/**
 * The records of one export, read lazily from its bytes (a local file, an S3 object body).
 * Gzip is recognised by its magic bytes; JSON is told apart by its first character (`[`: an
 * array, else JSON lines), whatever the extension; CSV by the extension. Bytes that cannot be read
 * throw `UnreadableFileError` from the iteration, after every record before the break.
 */
export async function* readExport(
  bytes: AsyncIterable<Buffer>,
  format: ExportFormat,
): AsyncGenerator<ExportItem> {
  const plain = gunzipIfGzip(bytes)
  if (format === 'csv') {
    yield* readCsv(plain)
    return
  }
  let peeked: Awaited<ReturnType<typeof peekFirstChar>>
  try {
    peeked = await peekFirstChar(decodeUtf8(plain))
  } catch (error) {
    throw error instanceof UnreadableFileError ? error : new UnreadableFileError(1, readFailure(error))
  }
  yield* peeked.first === '[' ? readJsonArray(peeked.text) : readJsonLines(peeked.text)
}
