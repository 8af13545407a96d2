/**
 * Generates the demo company's exports and prints timing and sizes:
 *   npx tsx bench/generate-demo.ts --scale 1 --seed 42 --out /tmp/demo
 */
import { readdir, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import { generateDemo } from '../sources/demo/generate-demo.js'

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '42' },
    out: { type: 'string', default: '.revops/demo-exports' },
  },
})

async function sizeOf(dir: string): Promise<Map<string, number>> {
  const sizes = new Map<string, number>()
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    sizes.set(relative(dir, path), (await stat(path)).size)
  }
  return sizes
}

const started = process.hrtime.bigint()
const { files } = await generateDemo({
  scale: Number(values.scale),
  seed: Number(values.seed),
  outDir: values.out,
})
const seconds = Number(process.hrtime.bigint() - started) / 1e9
const sizes = await sizeOf(values.out)
let total = 0
for (const f of files) {
  const rel = relative(values.out, f.path)
  const bytes = sizes.get(rel) ?? 0
  total += bytes
  process.stdout.write(
    `${rel.padEnd(48)} ${String(f.rows).padStart(12)} rows ${(bytes / 1e6).toFixed(2).padStart(10)} MB\n`,
  )
}
const rss = process.memoryUsage().rss
process.stdout.write(
  `scale ${values.scale} seed ${values.seed}: ${seconds.toFixed(1)} s, ${(total / 1e6).toFixed(1)} MB on disk, peak-ish RSS ${(rss / 1e6).toFixed(0)} MB\n`,
)
