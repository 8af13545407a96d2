import { describe, expect, it } from 'vitest'
import { UnreadableFileError } from '../../../sources/landing/export-item.js'
import { readJsonLines } from '../../../sources/landing/read-json-lines.js'
import { brief, collect, pieces } from './readers.js'

describe('readJsonLines', () => {
  it('reads lines across pieces, with a BOM, CRLF, blank lines and no final newline', async () => {
    const text = '\uFEFF{"a":1}\r\n\r\n{"b":"x\\ny"}\n  \n{"c":3}'
    for (const size of [1, 4, 1000]) {
      expect(brief(await collect(readJsonLines(pieces(text, size))))).toEqual([
        '1:{"a":1}',
        '3:{"b":"x\\ny"}',
        '5:{"c":3}',
      ])
    }
  })

  it('keeps a malformed line as a malformed item and reads on', async () => {
    const items = await collect(readJsonLines(pieces('{"a":1}\n{"a":\n{"a":3}\n', 3)))
    expect(brief(items)).toEqual(['1:{"a":1}', expect.stringMatching(/^2!not valid JSON/), '3:{"a":3}'])
    expect(items[1]).toMatchObject({ raw: '{"a":' })
  })

  it('turns a failing stream into an unreadable-file error at the next line', async () => {
    async function* failing() {
      yield '{"a":1}\n{"a":2}\n{"a":'
      throw Object.assign(new Error('unexpected end of file'), { code: 'Z_BUF_ERROR' })
    }
    const seen: number[] = []
    const error = await (async () => {
      for await (const item of readJsonLines(failing())) seen.push(item.line)
    })().catch((e: unknown) => e)
    expect(seen).toEqual([1, 2])
    expect(error).toBeInstanceOf(UnreadableFileError)
    expect(error).toMatchObject({ line: 3, partial: '{"a":' })
    expect(String((error as Error).message)).toMatch(/gzip data is truncated/)
  })
})
