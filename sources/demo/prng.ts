/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) so the demo company is the same for the
 * same seed on every machine. Never use Math.random here: byte-identical output depends on it.
 */

/** splitmix32: spreads any 32-bit input into a well-mixed 32-bit output (seeding and hashing). */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) >>> 0
}

/** A 32-bit hash of a seed and a list of parts (numbers or short strings), for derived streams. */
export function hashParts(seed: number, ...parts: (number | string)[]): number {
  let h = mix32(seed >>> 0)
  for (const part of parts) {
    if (typeof part === 'number') h = mix32(h ^ (part >>> 0))
    else for (let i = 0; i < part.length; i++) h = mix32(h ^ part.charCodeAt(i))
  }
  return h
}

export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    this.a = mix32(seed)
    this.b = mix32(this.a ^ 0x1234567)
    this.c = mix32(this.b ^ 0x89abcdef)
    this.d = 1
    for (let i = 0; i < 12; i++) this.next32()
  }

  /** A stream derived from this seed and a label, independent of how much this one was used. */
  static derive(seed: number, ...parts: (number | string)[]): Rng {
    return new Rng(hashParts(seed, ...parts))
  }

  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.next32() / 4294967296
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)]
    if (item === undefined) throw new Error('pick from an empty list')
    return item
  }

  /** Picks by weight: `[[value, weight], …]`. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0
    for (const [, w] of items) total += w
    let r = this.next() * total
    for (const [value, w] of items) {
      r -= w
      if (r < 0) return value
    }
    const last = items.at(-1)
    if (last === undefined) throw new Error('weighted pick from an empty list')
    return last[0]
  }

  /** Exponentially distributed with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean
  }

  /** Roughly normal (sum of uniforms), mean 0, sd 1. */
  normal(): number {
    let s = 0
    for (let i = 0; i < 6; i++) s += this.next()
    return (s - 3) * Math.SQRT2
  }

  /** A string of `n` characters from `alphabet`. */
  chars(n: number, alphabet: string): string {
    let out = ''
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(this.next() * alphabet.length)]
    return out
  }
}
