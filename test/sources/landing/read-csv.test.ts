import { describe, expect, it } from 'vitest'
import { UnreadableFileError } from '../../../sources/landing/export-item.js'
import { readCsv } from '../../../sources/landing/read-csv.js'
import { brief, bytePieces, collect } from './readers.js'

describe('readCsv', () => {
  it('reads a header, a BOM, quoted commas and newlines, CRLF, and reports the line a row starts on', async () => {
    const text = '\uFEFFId,Name,Note\r\n\r\n1,"a, é","two\r\nlines"\r\n\r\n\r\n2,c,"say ""hi"""\r\n3,d,\r\n'
    for (const size of [1, 5, 1000]) {
      const items = await collect(readCsv(bytePieces(text, size)))
      expect(brief(items)).toEqual([
        `3:${JSON.stringify({ Id: '1', Name: 'a, é', Note: 'two\r\nlines' })}`,
        `7:${JSON.stringify({ Id: '2', Name: 'c', Note: 'say "hi"' })}`,
        `8:${JSON.stringify({ Id: '3', Name: 'd', Note: '' })}`,
      ])
      expect(items[0]).toMatchObject({ raw: '1,"a, é","two\r\nlines"', payload: undefined })
    }
  })

  it('keeps rows it cannot parse, in file order, with their text, and reads on', async () => {
    const text = 'a,b\n1,2\n3,4,5\n\n6,7\n8,"open\n9,10\n'
    for (const size of [1, 3, 1000]) {
      const items = await collect(readCsv(bytePieces(text, size)))
      expect(brief(items)).toEqual([
        '2:{"a":"1","b":"2"}',
        expect.stringMatching(/^3!not a valid CSV row: Invalid Record Length/),
        '5:{"a":"6","b":"7"}',
        expect.stringMatching(/^6!not a valid CSV row: Quote Not Closed/),
      ])
      expect(items[1]).toMatchObject({ raw: '3,4,5' })
      expect(items[3]).toMatchObject({ raw: '8,"open\n9,10' })
    }
  })

  it('refuses a header with a repeated column', async () => {
    await expect(collect(readCsv(bytePieces('a,a\n1,2\n', 4)))).rejects.toBeInstanceOf(UnreadableFileError)
  })

  it('reads a header-only file as no records', async () => {
    expect(await collect(readCsv(bytePieces('a,b\n', 2)))).toEqual([])
  })
})
