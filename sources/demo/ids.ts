import { Rng } from './prng.js'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

function base62(n: number, width: number): string {
  let out = ''
  let v = n
  do {
    out = BASE62[v % 62] + out
    v = Math.floor(v / 62)
  } while (v > 0)
  return out.padStart(width, '0')
}

/** The 3-character suffix that turns a 15-character Salesforce id into its case-insensitive 18-character form. */
export function salesforceChecksum(id15: string): string {
  const table = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'
  let suffix = ''
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0
    for (let i = 0; i < 5; i++) {
      const ch = id15.charCodeAt(chunk * 5 + i)
      if (ch >= 65 && ch <= 90) bits |= 1 << i
    }
    suffix += table[bits]
  }
  return suffix
}

/**
 * Deterministic id factories. Each kind counts on its own, so an id depends only on how many of
 * that kind came before it; the counter is embedded, so ids never collide.
 */
export class IdFactory {
  private readonly counters = new Map<string, number>()
  private readonly rng: Rng

  constructor(seed: number) {
    this.rng = Rng.derive(seed, 'ids')
  }

  private count(kind: string): number {
    const n = (this.counters.get(kind) ?? 0) + 1
    this.counters.set(kind, n)
    return n
  }

  /** Stripe style: `cus_` + 14 characters, `in_` + 24 characters (counter + random tail). */
  stripe(prefix: string, length = 24): string {
    const n = this.count(`stripe:${prefix}`)
    const head = `1${base62(n, 6)}`
    return `${prefix}_${head}${this.rng.chars(length - head.length, BASE62)}`
  }

  /** Salesforce 18-character id: key prefix (e.g. 001 Account), pod, counter, checksum. */
  salesforce(keyPrefix: string): string {
    const n = this.count(`sf:${keyPrefix}`)
    const id15 = `${keyPrefix}Dn0${base62(n, 9)}`
    return id15 + salesforceChecksum(id15)
  }

  /** HubSpot numeric record id as a string. */
  hubspot(kind: string, base: number): string {
    const n = this.count(`hs:${kind}`)
    return String(base + n * 7 + (n % 5))
  }

  /** A plain counter for readable names (invoice numbers, etc.). */
  next(kind: string): number {
    return this.count(kind)
  }
}
