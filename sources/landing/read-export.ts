import type { Readable } from 'node:stream'
import type { ExportFormat } from '../registry.js'
import { type ExportItem, UnreadableFileError } from './export-item.js'
import { decodeUtf8, openBytes, peekFirstChar } from './open-text.js'
import { readCsv } from './read-csv.js'
import { readJsonArray } from './read-json-array.js'
import { readFailure, readJsonLines } from './read-json-lines.js'

/**
 * The records of one export file, read lazily. JSON files are told apart by their first
 * character (`[`: an array, else JSON lines), whatever their extension; CSV by the extension.
 * A file that cannot be opened or read throws `UnreadableFileError` from the iteration.
 */
export async function* readExport(path: string, format: ExportFormat): AsyncGenerator<ExportItem> {
  let bytes: Readable
  try {
    bytes = await openBytes(path)
  } catch (error) {
    throw new UnreadableFileError(null, readFailure(error))
  }
  if (format === 'csv') {
    yield* readCsv(bytes)
    return
  }
  let peeked: Awaited<ReturnType<typeof peekFirstChar>>
  try {
    peeked = await peekFirstChar(decodeUtf8(bytes))
  } catch (error) {
    throw new UnreadableFileError(1, readFailure(error))
  }
  yield* peeked.first === '[' ? readJsonArray(peeked.text) : readJsonLines(peeked.text)
}
