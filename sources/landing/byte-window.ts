const CR = 0x0d
const LF = 0x0a

/**
 * The bytes a streaming parser has been fed but whose rows were not reported yet, with the line
 * number where they start. It turns the parser's byte offsets into the line a row starts on and
 * the row's exact text, whatever its line endings. Bytes before the last reported row are dropped.
 */
export class ByteWindow {
  private parts: Buffer[] = []
  /** Absolute offset of the first kept byte, and the line it is on. */
  private base = 0
  private baseLine = 1

  append(bytes: Buffer): void {
    this.parts.push(bytes)
  }

  /**
   * The row that starts at the first byte at or after `from` that is not a line break (blank
   * lines are skipped) and ends before `to`; `to` may lie beyond the data (the rest of it).
   */
  row(from: number, to: number): { line: number; text: string } {
    const span = this.slice(Math.max(from, this.base), Math.max(to, from))
    let skip = 0
    while (skip < span.length && (span[skip] === CR || span[skip] === LF)) skip += 1
    const start = Math.max(from, this.base) + skip
    const line = this.baseLine + countLf(this.slice(this.base, start))
    this.drop(start, line)
    let end = span.length
    while (end > skip && (span[end - 1] === CR || span[end - 1] === LF)) end -= 1
    return { line, text: span.subarray(skip, end).toString('utf8') }
  }

  private slice(from: number, to: number): Buffer {
    const out: Buffer[] = []
    let offset = this.base
    for (const part of this.parts) {
      const s = Math.max(from, offset)
      const e = Math.min(to, offset + part.length)
      if (s < e) out.push(part.subarray(s - offset, e - offset))
      offset += part.length
      if (offset >= to) break
    }
    return out.length === 1 && out[0] ? out[0] : Buffer.concat(out)
  }

  private drop(start: number, line: number): void {
    while (this.parts.length > 0) {
      const first = this.parts[0]
      if (first === undefined || this.base + first.length > start) break
      this.base += first.length
      this.parts.shift()
    }
    // `base` now starts a part at or before `start`; record the line at `start` from there on.
    const first = this.parts[0]
    if (first !== undefined && start > this.base) {
      this.parts[0] = first.subarray(start - this.base)
      this.base = start
    }
    this.baseLine = line
  }
}

function countLf(bytes: Buffer): number {
  let count = 0
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) count += 1
  return count
}
