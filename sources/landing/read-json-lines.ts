import { type ExportItem, UnreadableFileError } from './export-item.js'

/**
 * JSON lines: one value per line; blank lines are skipped, a line that is not JSON becomes a
 * malformed item and reading goes on. Lines are cut from the stream as they arrive.
 */
export async function* readJsonLines(text: AsyncIterable<string>): AsyncGenerator<ExportItem> {
  let rest = ''
  let line = 0
  try {
    for await (const piece of text) {
      if (piece.indexOf('\n') === -1) {
        rest += piece
        continue
      }
      const lines = (rest + piece).split('\n')
      rest = lines.pop() ?? ''
      for (const raw of lines) {
        line += 1
        const item = parseLine(raw, line)
        if (item) yield item
      }
    }
  } catch (error) {
    throw new UnreadableFileError(line + 1, readFailure(error), rest === '' ? null : rest)
  }
  if (rest !== '') {
    const item = parseLine(rest, line + 1)
    if (item) yield item
  }
}

function parseLine(raw: string, line: number): ExportItem | undefined {
  const text = (line === 1 ? raw.replace(/^\uFEFF/, '') : raw).trim()
  if (text === '') return undefined
  try {
    return { kind: 'record', line, value: JSON.parse(text), raw: text, payload: text }
  } catch (error) {
    return { kind: 'malformed', line, reason: `not valid JSON: ${(error as Error).message}`, raw: text }
  }
}

/** Why a file stopped being readable, in the user's terms. */
export function readFailure(error: unknown): string {
  const e = error as NodeJS.ErrnoException
  if (typeof e?.code === 'string' && e.code.startsWith('Z_')) {
    return `gzip data is truncated or corrupt (${e.message}); records before this point landed`
  }
  return `file could not be read: ${e instanceof Error ? e.message : String(error)}`
}
