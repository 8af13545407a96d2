import { expect, it } from 'vitest'
import { csvDownloadLink, toCsv } from '../../../semantic/html/csv.js'
import { html, raw } from '../../../semantic/html/html.js'

it('writes RFC 4180 CSV: quotes only where needed, empty for missing, CRLF line ends', () => {
  expect(
    toCsv(
      ['month', 'label', 'value'],
      [
        ['2025-01-01', 'plain', 0.1 + 0.2],
        ['2025-02-01', 'has, comma and "quotes"', null],
        ['2025-03-01', 'two\nlines', undefined],
      ],
    ),
  ).toBe(
    'month,label,value\r\n2025-01-01,plain,0.30000000000000004\r\n2025-02-01,"has, comma and ""quotes""",\r\n2025-03-01,"two\nlines",\r\n',
  )
})

it('carries the CSV in a data: URI download link, UTF-8 with a byte-order mark', () => {
  const link = csvDownloadLink('t.csv', 'a,b\r\n1,€\r\n').text
  const href = /href="([^"]+)"/.exec(link)?.[1] ?? ''
  expect(href.startsWith('data:text/csv;charset=utf-8,')).toBe(true)
  expect(decodeURIComponent(href.slice('data:text/csv;charset=utf-8,'.length))).toBe('\uFEFFa,b\r\n1,€\r\n')
  expect(link).toContain('download="t.csv"')
})

it('escapes every interpolated value unless it is already markup', () => {
  const name = `<script>alert("x")</script> & 'y'`
  expect(html`<p title="${name}">${name}</p>`.text).toBe(
    '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</p>',
  )
  expect(html`<div>${raw('<svg></svg>')}${[html`<b>${'a<b'}</b>`, null, false, 2]}</div>`.text).toBe(
    '<div><svg></svg><b>a&lt;b</b>2</div>',
  )
})
