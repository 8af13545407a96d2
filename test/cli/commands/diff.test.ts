import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { snapshot } from '../../../cli/commands/snapshot.js'
import { createContext } from '../../../cli/context.js'
import { runCli } from '../../../cli/main.js'
import { MARKDOWN_BUDGET } from '../../../cli/metric-diff-format.js'
import { Catalog } from '../../../semantic/catalog.js'
import type { MetricDiff, ValueChange } from '../../../semantic/metric-diff.js'
import { MetricSnapshot, type SnapshotRow } from '../../../semantic/metric-snapshot.js'
import { projectCatalog } from '../../../semantic/project.js'
import { defineMetric, type Metric } from '../../../semantic/spec/metric.js'
import { capture } from '../capture.js'

// One demo warehouse for the whole file: the base catalog and changed catalogs are all asked
// against it, so every difference a diff shows comes from a definition, never from the data.
const root = mkdtempSync(join(tmpdir(), 'revops-diff-'))
const dir = join(root, '.revops')
const file = (name: string) => join(root, name)
afterAll(() => rmSync(root, { recursive: true, force: true }))

async function revops(...argv: string[]) {
  const io = capture()
  const code = await runCli(['--dir', dir, ...argv], io.streams)
  return { code, stdout: io.out(), stderr: io.err() }
}

/** `revops snapshot` with another catalog: what the same command does on a branch whose definitions differ. */
async function snapshotWith(catalog: Catalog, out: string) {
  const io = capture()
  const code = await snapshot(createContext({ dir }, io.streams), { out }, catalog)
  expect(io.err()).toBe('')
  return code
}

function catalogWith(change: (metrics: Metric[]) => Metric[]): Catalog {
  const base = projectCatalog()
  return new Catalog(base.models, change(base.metrics))
}

const readSnapshot = (name: string) => MetricSnapshot.parse(JSON.parse(readFileSync(file(name), 'utf8')))
const diffJson = async (a: string, b: string) => {
  const result = await revops('diff', file(a), file(b), '--format', 'json')
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  return JSON.parse(result.stdout) as MetricDiff
}

beforeAll(async () => {
  const result = await revops('demo', '--scale', '0.3', '--json')
  expect(result.code, result.stderr).toBe(0)
  expect((await revops('snapshot', '--out', file('base.json'))).code).toBe(0)
}, 300_000)

describe('revops snapshot', () => {
  it('writes every metric of the catalog at month grain, in total and by its view dimensions', async () => {
    const taken = readSnapshot('base.json')
    const catalog = projectCatalog()
    expect(taken.metrics.map((m) => m.id)).toEqual(catalog.metrics.map((m) => m.id))
    expect(taken.metrics.filter((m) => m.error)).toEqual([])
    for (const m of catalog.metrics) {
      const cuts = taken.metrics.find((x) => x.id === m.id)?.cuts.map((c) => c.dimensions)
      if (m.type === 'cohort') expect(cuts, m.id).toEqual([['periods_since']])
      else if (m.viewDimensions.length === 0) expect(cuts, m.id).toEqual([[]])
      else expect(cuts, m.id).toEqual([[], m.viewDimensions])
    }
    const mrr = taken.metrics.find((m) => m.id === 'mrr')
    expect(mrr).toMatchObject({
      unit: 'currency',
      status: 'certified',
      version: '1.0.0',
      policy: 'mrr-policy v1',
    })
    expect(taken.build?.id).toMatch(/^\d{4}-\d{2}-\d{2}T/)
  })

  it('holds the numbers revops query answers', async () => {
    const result = await revops('query', 'mrr', '--by', 'segment,region', '--format', 'json')
    const answered = z
      .object({ rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))) })
      .parse(JSON.parse(result.stdout)).rows
    const cut = readSnapshot('base.json').metrics.find((m) => m.id === 'mrr')?.cuts[1]
    const key = (r: Record<string, unknown>) => `${r.period}|${r.segment}|${r.region}`
    expect(new Map(cut?.rows.map((r) => [key(r), r.value]))).toEqual(
      new Map(answered.map((r) => [key(r), r.mrr])),
    )
  })

  it('is the same file again from the same warehouse and definitions, and diffs to nothing', async () => {
    expect((await revops('snapshot', '--out', file('again.json'))).code).toBe(0)
    expect(readFileSync(file('again.json'), 'utf8')).toBe(readFileSync(file('base.json'), 'utf8'))
    expect(await diffJson('base.json', 'again.json')).toEqual({
      added: [],
      removed: [],
      metrics: [],
      changes: [],
    })
    const table = await revops('diff', file('base.json'), file('again.json'))
    expect(table.stdout).toBe('no metric values changed\n')
  })

  it('says --json what it wrote, and fails with one line on a missing warehouse', async () => {
    const result = await revops('--json', 'snapshot', '--out', file('again.json'))
    expect(JSON.parse(result.stdout)).toEqual({
      file: file('again.json'),
      metrics: projectCatalog().metrics.length,
      values: expect.any(Number),
      failed: [],
    })
    const io = capture()
    const code = await runCli(
      ['--dir', join(root, 'nothing'), 'snapshot', '--out', file('x.json')],
      io.streams,
    )
    expect(code).toBe(1)
    expect(io.err()).toBe(
      `revops: no warehouse at ${join(root, 'nothing')}\nhint: run \`revops demo\` or \`revops build\` first\n`,
    )
  })
})

describe('revops diff after a metric definition changes', () => {
  // The pull request: billed revenue restricted to the smb segment, version left at 1.0.0.
  const smbOnly = () =>
    catalogWith((metrics) =>
      metrics.map((m) =>
        m.id === 'billed_revenue'
          ? defineMetric({ ...m, where: [{ dimension: 'segment', op: '=', value: 'smb' }] } as never)
          : m,
      ),
    )
  let diff: MetricDiff

  beforeAll(async () => {
    expect(await snapshotWith(smbOnly(), file('smb.json'))).toBe(0)
    diff = await diffJson('base.json', 'smb.json')
  }, 120_000)

  it('lists only the changed metric, and says its version was not bumped', () => {
    expect(diff.added).toEqual([])
    expect(diff.removed).toEqual([])
    expect(diff.metrics.map((m) => m.metric)).toEqual(['billed_revenue'])
    expect(diff.metrics[0]).toMatchObject({
      definition: [],
      versionNotBumped: true,
      values: diff.changes.length,
    })
    expect(new Set(diff.changes.map((c) => c.metric))).toEqual(new Set(['billed_revenue']))
  })

  it('lists exactly the values that changed: worked out from the base snapshot alone', () => {
    const before = readSnapshot('base.json').metrics.find((m) => m.id === 'billed_revenue')
    const [total, bySegment] = before?.cuts ?? []
    const n = (row: SnapshotRow) => row.value as number

    // By segment and region: smb cells keep their values; every other cell is gone.
    const expectedCells = (bySegment?.rows ?? [])
      .filter((r) => r.segment !== 'smb')
      .map((r) => ({
        metric: 'billed_revenue',
        period: r.period,
        dimensions: { segment: r.segment, region: r.region },
        before: n(r),
        after: null,
        change: null,
        kind: 'removed',
      }))
    const cellChanges = diff.changes.filter((c) => Object.keys(c.dimensions).length > 0)
    expect(cellChanges).toEqual(expectedCells)

    // The total: the sum of the period's smb cells, listed wherever that differs from the old total.
    const smbSum = new Map<string, number>()
    for (const r of bySegment?.rows ?? [])
      if (r.segment === 'smb') smbSum.set(String(r.period), (smbSum.get(String(r.period)) ?? 0) + n(r))
    const expectedTotals = (total?.rows ?? [])
      .filter((r) => Math.abs(n(r) - (smbSum.get(String(r.period)) ?? 0)) > 1e-6)
      .map((r) => r.period)
    const totalChanges = diff.changes.filter((c) => Object.keys(c.dimensions).length === 0)
    expect(totalChanges.map((c) => c.period)).toEqual(expectedTotals)
    expect(expectedTotals.length).toBeGreaterThan(12)
    for (const c of totalChanges) {
      const was = total?.rows.find((r) => r.period === c.period)
      expect(c.kind).toBe('changed')
      expect(c.before).toBe(was?.value)
      expect(c.after).toBeCloseTo(smbSum.get(c.period) ?? 0, 4)
      expect(c.change).toBeCloseTo((c.after ?? 0) - (c.before ?? 0), 6)
    }
  })

  it('prints a table of metric, period, dimensions, before, after and change', async () => {
    const result = await revops('diff', file('base.json'), file('smb.json'))
    expect(result.code).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines[0]).toBe(`${diff.changes.length.toLocaleString('en-US')} values changed in 1 metric`)
    expect(lines[1]).toBe('billed_revenue: values changed but version 1.0.0 was not bumped')
    expect(lines[3]).toMatch(/^metric\s+period\s+dimensions\s+before\s+after\s+change$/)
    const first = diff.changes[0] as ValueChange
    expect(lines[5]).toMatch(
      new RegExp(
        `^billed_revenue\\s+${first.period}\\s+total\\s+[\\d,.]+\\s+[\\d,.]+\\s+−[\\d,.]+ \\(−[\\d.]+%\\)$`,
      ),
    )
    expect(result.stdout).toMatch(
      /billed_revenue\s+\d{4}-\d{2}-01\s+segment=enterprise, region=na\s+[\d,.]+\s+—\s+gone\n/,
    )
    expect(lines.filter((l) => l.startsWith('billed_revenue '))).toHaveLength(diff.changes.length)

    const limited = await revops('diff', file('base.json'), file('smb.json'), '--limit', '3')
    // Three of the total and three by segment and region.
    expect(limited.stdout.split('\n').filter((l) => l.startsWith('billed_revenue '))).toHaveLength(6)
    expect(limited.stdout).toContain(`… ${diff.changes.length - 6} more changed values`)
  })

  it('writes markdown for a pull-request comment, short enough for GitHub', async () => {
    const result = await revops(
      'diff',
      file('base.json'),
      file('smb.json'),
      '--format',
      'markdown',
      '--before-name',
      'main',
      '--after-name',
      'billed-smb',
    )
    expect(result.code).toBe(0)
    const md = result.stdout
    expect(md.startsWith('### Metric diff (`main` → `billed-smb`)\n\n**')).toBe(true)
    expect(md).toContain('| `billed_revenue` Billed revenue | ')
    expect(md).toContain('values changed but version 1.0.0 was not bumped')
    expect(md).toContain(
      `<details><summary><code>billed_revenue</code>: ${diff.changes.length} values changed`,
    )
    const totals = diff.changes.filter((c) => Object.keys(c.dimensions).length === 0).length
    const cells = diff.changes.length - totals
    expect(md).toContain(
      'In total:\n\n| period | main | billed-smb | change |\n| --- | --: | --: | --: |\n| 20',
    )
    expect(md).toContain(`… and ${totals - 25} more values.`)
    expect(md).toContain('By segment, region:\n\n| period | segment | region | main | billed-smb | change |')
    expect(md).toMatch(/\n\| \d{4}-\d{2}-01 \| enterprise \| na \| [\d,.]+ \| — \| gone \|\n/)
    expect(md).toContain(`… and ${cells - 25} more values.`)
    expect(md.length).toBeLessThan(MARKDOWN_BUDGET)
  })
})

describe('revops diff of metrics added, removed and re-governed', () => {
  it('names added and removed metrics without listing their values, and governance changes', async () => {
    const changed = catalogWith((metrics) => [
      ...metrics
        .filter((m) => m.id !== 'refunds')
        .map((m) => (m.id === 'mrr' ? { ...m, version: '1.1.0', status: 'draft' as const } : m)),
      defineMetric({
        id: 'billed_revenue_smb',
        label: 'Billed revenue, smb',
        owner: 'finance',
        description: 'Billed revenue of customers in the smb segment, by invoice date.',
        unit: 'currency',
        status: 'draft',
        version: '0.1.0',
        fill: 'zero',
        type: 'simple',
        measure: 'invoices.billed_revenue',
        where: [{ dimension: 'segment', op: '=', value: 'smb' }],
      }),
    ])
    expect(await snapshotWith(changed, file('governance.json'))).toBe(0)
    const diff = await diffJson('base.json', 'governance.json')
    expect(diff.added).toEqual([
      {
        id: 'billed_revenue_smb',
        label: 'Billed revenue, smb',
        unit: 'currency',
        status: 'draft',
        version: '0.1.0',
      },
    ])
    expect(diff.removed.map((m) => m.id)).toEqual(['refunds'])
    expect(diff.metrics).toEqual([
      expect.objectContaining({
        metric: 'mrr',
        definition: ['status: certified → draft', 'version: 1.0.0 → 1.1.0'],
        values: 0,
        versionNotBumped: false,
      }),
    ])
    expect(diff.changes).toEqual([])
    const table = await revops('diff', file('base.json'), file('governance.json'))
    expect(table.stdout).toBe(
      [
        'no metric values changed; 1 metric with changed governance only; 1 metric added; 1 metric removed',
        'added   billed_revenue_smb (Billed revenue, smb, v0.1.0, draft)',
        'removed refunds (Refunds, v1.0.0, certified)',
        'mrr: status: certified → draft; version: 1.0.0 → 1.1.0',
        '',
      ].join('\n'),
    )
  })

  it('fails with one clear line on a file that is not a snapshot', async () => {
    writeFileSync(file('not-json.json'), '{"format": ')
    writeFileSync(file('other.json'), '{"format": "something-else"}')
    const notJson = await revops('diff', file('base.json'), file('not-json.json'))
    expect(notJson.code).toBe(1)
    expect(notJson.stderr).toMatch(new RegExp(`^revops: ${file('not-json.json')}: not JSON: .+\n$`))
    const other = await revops('diff', file('other.json'), file('base.json'))
    expect(other.code).toBe(1)
    expect(other.stderr).toBe(
      `revops: ${file('other.json')}: not a metric snapshot: format: Invalid input: expected "revops-metric-snapshot"\nhint: make one with \`revops snapshot --out <file.json>\`\n`,
    )
    const missing = await revops('diff', file('base.json'), file('missing.json'))
    expect(missing.stderr).toMatch(/^revops: cannot read snapshot .*missing\.json: ENOENT/)
    const badLimit = await revops('diff', file('base.json'), file('base.json'), '--limit', '0')
    expect(badLimit.stderr).toBe('revops: --limit must be a positive whole number\n')
  })
})
