/**
 * Lands a generated file of Stripe invoice line items (half in the pre-2025 shape, half in the
 * 2025-03-31+ shape) into a temporary local lake and prints throughput and peak memory.
 *
 *   npx tsx bench/land-invoice-lines.ts [--rows 1000000] [--gzip]
 *
 * The file is written and read as streams, so peak RSS should not grow with --rows.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import { createGzip } from 'node:zlib'
import { LocalLakeStore } from '../core/lake/local-lake-store.js'
import { landFiles } from '../sources/landing/land-files.js'

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, gzip: { type: 'boolean', default: false } },
})
const rows = Number(values.rows)
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`
const peakRss = () => process.resourceUsage().maxRSS * 1024

function* lineItems(count: number): Generator<string> {
  const start = 1_704_067_200
  for (let i = 0; i < count; i += 1) {
    const invoice = `in_${String(Math.floor(i / 4)).padStart(10, '0')}`
    const period = { start: start + (i % 365) * 86_400, end: start + ((i % 365) + 30) * 86_400 }
    const amount = 1000 + (i % 97) * 250
    const common = {
      object: 'line_item',
      invoice,
      amount,
      currency: i % 5 === 0 ? 'eur' : 'usd',
      period,
      quantity: 1 + (i % 7),
    }
    const item =
      i % 2 === 0
        ? {
            id: `il_${i}`,
            ...common,
            proration: i % 11 === 0,
            type: 'subscription',
            subscription: `sub_${i % 50_000}`,
            subscription_item: `si_${i % 50_000}`,
            price: {
              id: `price_${i % 40}`,
              unit_amount: amount,
              recurring: { interval: 'month', interval_count: 1 },
            },
            plan: { id: `price_${i % 40}`, amount, interval: 'month' },
            discount_amounts: [],
            metadata: {},
          }
        : {
            id: `il_${i}`,
            ...common,
            description: `Seat × ${1 + (i % 7)} (at $${amount / 100} / month)`,
            parent: {
              type: 'subscription_item_details',
              subscription_item_details: {
                subscription: `sub_${i % 50_000}`,
                subscription_item: `si_${i % 50_000}`,
                proration: false,
              },
            },
            pricing: {
              type: 'price_details',
              price_details: { price: `price_${i % 40}`, product: `prod_${i % 8}` },
              unit_amount_decimal: String(amount),
            },
            taxes: [],
            pretax_credit_amounts: [],
            metadata: {},
          }
    yield `${JSON.stringify(item)}\n`
  }
}

const work = mkdtempSync(join(tmpdir(), 'revops-bench-land-'))
try {
  const file = join(work, values.gzip ? 'invoice_line_items.jsonl.gz' : 'invoice_line_items.jsonl')
  const generateStart = performance.now()
  const source = Readable.from(lineItems(rows))
  if (values.gzip) await pipeline(source, createGzip(), createWriteStream(file))
  else await pipeline(source, createWriteStream(file))
  const generated = (performance.now() - generateStart) / 1000
  const rssBeforeLand = peakRss()

  const store = new LocalLakeStore(join(work, 'lake'))
  const landStart = performance.now()
  const summary = await landFiles(store, { source: 'stripe', from: file })
  const seconds = (performance.now() - landStart) / 1000

  const lake = summary.files[0]
  console.log(`rows                ${rows.toLocaleString('en-US')}`)
  console.log(
    `file                ${mib(statSync(file).size)} (${values.gzip ? 'jsonl.gz' : 'jsonl'}), generated in ${generated.toFixed(1)} s`,
  )
  console.log(`landed / dup / quar ${lake?.landed} / ${lake?.duplicate} / ${lake?.quarantined}`)
  console.log(`land time           ${seconds.toFixed(1)} s`)
  console.log(`rows/s              ${Math.round(rows / seconds).toLocaleString('en-US')}`)
  console.log(`peak RSS            ${mib(peakRss())} (before landing: ${mib(rssBeforeLand)})`)
  if (lake?.landed !== rows) process.exitCode = 1
} finally {
  rmSync(work, { recursive: true, force: true })
}
