import { once } from 'node:events'
import { createWriteStream, type WriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { createGzip, type Gzip } from 'node:zlib'

/** Lines are collected into chunks of about this many characters before they go to the stream. */
const CHUNK = 1 << 18

/**
 * One output file written line by line, optionally through gzip, with bounded memory: lines are
 * buffered into chunks and the producer awaits `drain()` when the stream pushes back.
 */
export class FileSink {
  rows = 0
  private buffer: string[] = []
  private size = 0
  private readonly out: Gzip | WriteStream
  private readonly file: WriteStream
  private backlog = false

  private constructor(
    readonly path: string,
    readonly source: string,
    gzip: boolean,
  ) {
    this.file = createWriteStream(path)
    if (gzip) {
      const gz = createGzip({ level: 6 })
      gz.pipe(this.file)
      this.out = gz
    } else {
      this.out = this.file
    }
  }

  static async open(path: string, source: string): Promise<FileSink> {
    await mkdir(dirname(path), { recursive: true })
    return new FileSink(path, source, path.endsWith('.gz'))
  }

  /** Adds one line (a data row; a header goes through `header`, which is not counted). */
  line(text: string): void {
    this.rows++
    this.push(text)
  }

  header(text: string): void {
    this.push(text)
  }

  private push(text: string): void {
    this.buffer.push(text)
    this.size += text.length + 1
    if (this.size >= CHUNK) this.flushBuffer()
  }

  private flushBuffer(): void {
    if (this.buffer.length === 0) return
    const ok = this.out.write(`${this.buffer.join('\n')}\n`)
    this.buffer = []
    this.size = 0
    if (!ok) this.backlog = true
  }

  /** Resolves once the stream has room again (immediately when it has). */
  async drain(): Promise<void> {
    if (!this.backlog) return
    this.backlog = false
    // 'drain' may already have fired since the write that pushed back.
    if (this.out.writableNeedDrain) await once(this.out, 'drain')
  }

  async close(): Promise<void> {
    this.flushBuffer()
    const finished = once(this.file, 'close')
    this.out.end()
    await finished
  }
}

/** A CSV cell: quoted when it must be (or always, as Salesforce Data Loader does). */
export function csvCell(value: string | number | boolean | null | undefined, alwaysQuote: boolean): string {
  if (value === null || value === undefined) return alwaysQuote ? '""' : ''
  const text = String(value)
  if (alwaysQuote || /[",\n\r]/.test(text)) return `"${text.replaceAll('"', '""')}"`
  return text
}

/** A CSV file with a fixed header; rows are objects keyed by column. */
export class CsvSink<Col extends string> {
  constructor(
    readonly sink: FileSink,
    private readonly columns: readonly Col[],
    private readonly alwaysQuote: boolean,
  ) {
    sink.header(columns.map((c) => csvCell(c, alwaysQuote)).join(','))
  }

  row(values: Partial<Record<Col, string | number | boolean | null>>): void {
    this.sink.line(this.columns.map((c) => csvCell(values[c], this.alwaysQuote)).join(','))
  }
}
