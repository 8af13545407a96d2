import type { ExportItem } from '../../../sources/landing/export-item.js'

/** Text delivered in pieces of `size` characters, to cross every boundary a stream can have. */
export async function* pieces(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size)
}

/** The UTF-8 bytes of `text` in pieces of `size` bytes (splitting characters too). */
export async function* bytePieces(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text)
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

export async function collect(items: AsyncIterable<ExportItem>): Promise<ExportItem[]> {
  const found: ExportItem[] = []
  for await (const item of items) found.push(item)
  return found
}

/** A compact view of items: `line:value` for records, `line!reason` for malformed ones. */
export function brief(items: readonly ExportItem[]): string[] {
  return items.map((i) =>
    i.kind === 'record' ? `${i.line}:${JSON.stringify(i.value)}` : `${i.line}!${i.reason}`,
  )
}
