import { type ExportItem, UnreadableFileError } from './export-item.js'
import { readFailure } from './read-json-lines.js'

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const NEWLINE = 0x0a
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const isBlank = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xfeff

type State = 'start' | 'between' | 'element' | 'end'

/**
 * A JSON array read element by element, so a multi-GB array never sits in memory: a small
 * scanner tracks strings and nesting depth and cuts the text of each top-level element, which is
 * then parsed alone. An element that is not valid JSON becomes a malformed item; text that breaks
 * the array itself (truncation, garbage after `]`) makes the rest of the file unreadable.
 */
export async function* readJsonArray(text: AsyncIterable<string>): AsyncGenerator<ExportItem> {
  let state: State = 'start'
  let depth = 0
  let inString = false
  let escaped = false
  let line = 1
  let elementLine = 1
  let parts: string[] = []
  try {
    for await (const piece of text) {
      let from = 0
      for (let i = 0; i < piece.length; i += 1) {
        const c = piece.charCodeAt(i)
        if (state === 'element') {
          if (inString) {
            if (escaped) escaped = false
            else if (c === BACKSLASH) escaped = true
            else if (c === QUOTE) inString = false
            else if (c === NEWLINE) line += 1
            continue
          }
          if (c === QUOTE) inString = true
          else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth += 1
          else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && depth > 0) depth -= 1
          else if (depth === 0 && (c === COMMA || c === CLOSE_BRACKET)) {
            parts.push(piece.slice(from, i))
            yield parseElement(parts.join(''), elementLine)
            parts = []
            state = c === COMMA ? 'between' : 'end'
          } else if (c === NEWLINE) line += 1
          continue
        }
        if (c === NEWLINE) line += 1
        if (isBlank(c)) continue
        if (state === 'start') {
          if (c !== OPEN_BRACKET) throw new UnreadableFileError(line, 'expected a JSON array or JSON lines')
          state = 'between'
        } else if (state === 'between') {
          if (c === CLOSE_BRACKET) {
            state = 'end'
          } else {
            state = 'element'
            elementLine = line
            from = i
            i -= 1 // scan this character as part of the element
          }
        } else {
          throw new UnreadableFileError(line, 'unexpected text after the end of the JSON array')
        }
      }
      if (state === 'element') parts.push(piece.slice(from))
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error
    throw new UnreadableFileError(elementLine, readFailure(error), partial(parts))
  }
  if ((state as State) !== 'end') {
    throw new UnreadableFileError(
      state === 'element' ? elementLine : line,
      'the JSON array ends before its closing "]" (truncated file?)',
      partial(parts),
    )
  }
}

function parseElement(text: string, line: number): ExportItem {
  const raw = text.trim()
  try {
    return { kind: 'record', line, value: JSON.parse(raw), raw, payload: raw }
  } catch (error) {
    return { kind: 'malformed', line, reason: `not valid JSON: ${(error as Error).message}`, raw }
  }
}

function partial(parts: readonly string[]): string | null {
  const text = parts.join('').trim()
  return text === '' ? null : text
}
