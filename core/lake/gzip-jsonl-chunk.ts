import { createHash, type Hash } from 'node:crypto'
import { once } from 'node:events'
import { finished } from 'node:stream/promises'
import { createGzip, type Gzip } from 'node:zlib'

/** Lines are handed to gzip in pieces of about this size (fewer, larger writes are faster). */
const PIECE = 1 << 20

export interface FinishedChunk {
  readonly body: Buffer
  /** sha256 (hex) of the seed and every record's identity, in order. */
  readonly digest: string
  readonly records: number
}

/**
 * One gzip JSON-lines object being built in memory, compressed as it grows (so a chunk costs its
 * compressed size, not its text size), and named by a hash of what identifies its records rather
 * than of its bytes: envelope fields that change between runs (ingest time) stay out of the name.
 */
export class GzipJsonlChunk {
  private readonly gzip: Gzip = createGzip()
  private readonly parts: Buffer[] = []
  private readonly hash: Hash = createHash('sha256')
  private pending: string[] = []
  private pendingLength = 0
  private count = 0
  private textBytes = 0

  constructor(seed: string) {
    this.hash.update(seed)
    this.gzip.on('data', (part: Buffer) => this.parts.push(part))
  }

  get records(): number {
    return this.count
  }

  /** Uncompressed size so far (UTF-16 code units; close enough to bound memory and chunk size). */
  get size(): number {
    return this.textBytes
  }

  async add(line: string, identity: string): Promise<void> {
    this.hash.update(identity)
    this.hash.update('\n')
    this.pending.push(line, '\n')
    this.pendingLength += line.length + 1
    this.textBytes += line.length + 1
    this.count += 1
    if (this.pendingLength >= PIECE) await this.writePending()
  }

  async finish(): Promise<FinishedChunk> {
    await this.writePending()
    this.gzip.end()
    await finished(this.gzip)
    return { body: Buffer.concat(this.parts), digest: this.hash.digest('hex'), records: this.count }
  }

  private async writePending(): Promise<void> {
    if (this.pending.length === 0) return
    const text = this.pending.join('')
    this.pending = []
    this.pendingLength = 0
    if (!this.gzip.write(text)) await once(this.gzip, 'drain')
  }
}
