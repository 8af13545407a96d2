import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { pipeline, type Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'

/**
 * Opens an export file as a stream of bytes, gunzipping it when it starts with the gzip magic
 * bytes (whatever its name says). Streams end to end: memory stays flat for any file size.
 */
export async function openBytes(path: string): Promise<Readable> {
  const handle = await open(path, 'r')
  const head = Buffer.alloc(2)
  try {
    await handle.read(head, 0, 2, 0)
  } finally {
    await handle.close()
  }
  const file = createReadStream(path, { highWaterMark: 256 * 1024 })
  if (head[0] !== 0x1f || head[1] !== 0x8b) return file
  // pipeline() carries a read error or a truncated-gzip error to the stream that is iterated.
  return pipeline(file, createGunzip({ chunkSize: 256 * 1024 }), () => {})
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
