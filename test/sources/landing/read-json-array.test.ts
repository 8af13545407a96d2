import { describe, expect, it } from 'vitest'
import { UnreadableFileError } from '../../../sources/landing/export-item.js'
import { readJsonArray } from '../../../sources/landing/read-json-array.js'
import { brief, collect, pieces } from './readers.js'

const ARRAY = `\uFEFF[
  {"id": "a", "s": "brackets ] } [ { and a comma, inside", "esc": "quote \\" and backslash \\\\"},
  {"id": "b", "nested": {"list": [1, [2, {"x": "]"}]]}},
  "scalar",
  {"id": "c",
   "multi": "line"}
]
`

describe('readJsonArray', () => {
  it('cuts top-level elements whatever the piece size, with the line each starts on', async () => {
    const expected = [
      `2:${JSON.stringify({ id: 'a', s: 'brackets ] } [ { and a comma, inside', esc: 'quote " and backslash \\' })}`,
      `3:${JSON.stringify({ id: 'b', nested: { list: [1, [2, { x: ']' }]] } })}`,
      '4:"scalar"',
      `5:${JSON.stringify({ id: 'c', multi: 'line' })}`,
    ]
    for (const size of [1, 2, 3, 7, 64, 100_000]) {
      expect(brief(await collect(readJsonArray(pieces(ARRAY, size))))).toEqual(expected)
    }
  })

  it('keeps the element text as the payload', async () => {
    const [first] = await collect(readJsonArray(pieces('[ {"a": 1,  "b": 2} ]', 4)))
    expect(first?.kind === 'record' && first.payload).toBe('{"a": 1,  "b": 2}')
  })

  it('reads an empty array', async () => {
    expect(await collect(readJsonArray(pieces(' [ ] ', 1)))).toEqual([])
  })

  it('turns an element that is not JSON into a malformed item and goes on', async () => {
    const items = await collect(readJsonArray(pieces('[{"a":1},\n{"b": nope},\n{"c":3}]', 5)))
    expect(brief(items)).toEqual(['1:{"a":1}', expect.stringMatching(/^2!not valid JSON/), '3:{"c":3}'])
  })

  it('reports a truncated array after yielding what came before', async () => {
    const seen: string[] = []
    const run = async () => {
      for await (const item of readJsonArray(pieces('[{"a":1},\n{"b":', 3))) seen.push(brief([item])[0] ?? '')
    }
    const error = await run().catch((e: unknown) => e)
    expect(seen).toEqual(['1:{"a":1}'])
    expect(error).toBeInstanceOf(UnreadableFileError)
    expect(error).toMatchObject({ line: 2, partial: '{"b":' })
  })

  it('rejects text after the closing bracket and a file that is not an array', async () => {
    await expect(collect(readJsonArray(pieces('[1]\n[2]', 2)))).rejects.toMatchObject({ line: 2 })
    await expect(collect(readJsonArray(pieces('{"a":1}', 2)))).rejects.toThrow(/expected a JSON array/)
  })
})
