import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { decodeUtf8, gunzipIfGzip } from '../../../sources/landing/open-export.js'

async function* bytes(buffer: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size)
}

async function text(stream: AsyncIterable<Buffer>): Promise<string> {
  let out = ''
  for await (const piece of decodeUtf8(stream)) out += piece
  return out
}

describe('gunzipIfGzip', () => {
  const plain = 'héllo\nwörld\n'.repeat(50)

  it('recognises gzip by its magic bytes, whatever the pieces', async () => {
    for (const size of [1, 2, 3, 1000]) {
      expect(await text(gunzipIfGzip(bytes(gzipSync(plain), size)))).toBe(plain)
      expect(await text(gunzipIfGzip(bytes(Buffer.from(plain), size)))).toBe(plain)
    }
    expect(await text(gunzipIfGzip(bytes(Buffer.alloc(0), 1)))).toBe('')
  })

  it('yields what it could decompress, then fails on a truncated gzip', async () => {
    const big = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`).join('\n')
    const zipped = gzipSync(big)
    let seen = ''
    const error = await (async () => {
      for await (const piece of decodeUtf8(gunzipIfGzip(bytes(zipped.subarray(0, zipped.length >> 1), 512))))
        seen += piece
    })().catch((e: unknown) => e)
    expect((error as NodeJS.ErrnoException).code).toBe('Z_BUF_ERROR')
    expect(seen.length).toBeGreaterThan(0)
    expect(big.startsWith(seen)).toBe(true)
  })
})
