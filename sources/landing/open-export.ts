import { createReadStream } from 'node:fs'
import { pipeline, Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'

/** An export file's bytes, read in large pieces. */
export function openFile(path: string): Readable {
  return createReadStream(path, { highWaterMark: 256 * 1024 })
}

/**
 * The bytes of an export, gunzipped when they start with the gzip magic bytes (whatever the
 * name says). Streams end to end, so memory stays flat for any size; a truncated or corrupt gzip
 * fails the iteration at the point where it breaks, after everything before it.
 */
export async function* gunzipIfGzip(bytes: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const iterator = bytes[Symbol.asyncIterator]()
  const head: Buffer[] = []
  let length = 0
  while (length < 2) {
    const next = await iterator.next()
    if (next.done) break
    head.push(next.value)
    length += next.value.length
  }
  const first = Buffer.concat(head)
  async function* replay(): AsyncGenerator<Buffer> {
    if (first.length > 0) yield first
    for (;;) {
      const next = await iterator.next()
      if (next.done) return
      yield next.value
    }
  }
  if (first[0] !== 0x1f || first[1] !== 0x8b) {
    yield* replay()
    return
  }
  // pipeline() carries an error of either side to the stream that is iterated.
  yield* pipeline(
    Readable.from(replay()),
    createGunzip({ chunkSize: 256 * 1024 }),
    () => {},
  ) as AsyncIterable<Buffer>
}

/** UTF-8 text of a byte stream; a character split between two pieces is decoded whole. */
export async function* decodeUtf8(bytes: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8')
  for await (const piece of bytes) {
    const text = decoder.decode(piece, { stream: true })
    if (text !== '') yield text
  }
  const rest = decoder.decode()
  if (rest !== '') yield rest
}

/** The first non-blank character of a text stream, and the same stream, unconsumed. */
export async function peekFirstChar(
  text: AsyncIterable<string>,
): Promise<{ first: string | undefined; text: AsyncIterable<string> }> {
  const iterator = text[Symbol.asyncIterator]()
  const seen: string[] = []
  let first: string | undefined
  for (;;) {
    const next = await iterator.next()
    if (next.done) break
    seen.push(next.value)
    const match = /[^\s\uFEFF]/.exec(next.value)
    if (match) {
      first = match[0]
      break
    }
  }
  async function* replay(): AsyncGenerator<string> {
    yield* seen
    for (;;) {
      const next = await iterator.next()
      if (next.done) return
      yield next.value
    }
  }
  return { first, text: replay() }
}
