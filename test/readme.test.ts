import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildProgram, runCli } from '../cli/main.js'
import { glueDatabaseName, METRICS_SCHEMA } from '../core/config/names.js'
import { warehousePaths } from '../core/config/warehouse.js'
import { DuckDbEngine } from '../core/engines/duckdb-engine.js'
import type { Row } from '../core/engines/engine.js'
import { validateAthenaSql } from '../core/sql/athena/athena-sql-check.js'
import { DuckDbDialect } from '../core/sql/duckdb/duckdb-dialect.js'
import { ResourceNames } from '../infra/resource-names.js'
import { governedViews } from '../semantic/governed-views.js'
import { projectCatalog } from '../semantic/project.js'

// The README's SQL examples, checked as a reader would use them: the DuckDB ones run on the demo
// warehouse exactly as written; the Athena ones parse as Athena SQL and name only views that exist.
const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8')
const examples = (engine: string) =>
  [...readme.matchAll(new RegExp(`\`\`\`sql ${engine}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1] as string)
const duckdbExamples = examples('duckdb')
const athenaExamples = examples('athena')
const viewNames = [
  ...governedViews(projectCatalog(), new DuckDbDialect()).map((v) => v.name),
  'metric_values',
]

const root = mkdtempSync(join(tmpdir(), 'revops-readme-'))
const dir = join(root, '.revops')
let engine: DuckDbEngine
afterAll(async () => {
  await engine?.close()
  rmSync(root, { recursive: true, force: true })
})

async function revops(...argv: string[]) {
  const out: string[] = []
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const err: string[] = []
  stdout.on('data', (d) => out.push(String(d)))
  stderr.on('data', (d) => err.push(String(d)))
  const code = await runCli(['--dir', dir, ...argv], { stdout, stderr, env: {} })
  return { code, stdout: out.join(''), stderr: err.join('') }
}

describe('the README’s DuckDB examples', () => {
  const results = new Map<number, Row[]>()
  beforeAll(async () => {
    const demo = await revops('demo', '--scale', '0.3', '--json')
    expect(demo.code, demo.stderr).toBe(0)
    // As the README says: read-only, the way a DuckDB client opens .revops/warehouse.duckdb.
    engine = await DuckDbEngine.open({ path: warehousePaths(dir).duckdb, readOnly: true })
  }, 300_000)

  it('are there', () => {
    expect(duckdbExamples.length).toBeGreaterThanOrEqual(5)
  })

  it('each run on the demo warehouse as written and return rows', async () => {
    for (const [i, sql] of duckdbExamples.entries()) {
      const result = await engine.run(sql, [], { label: `README example ${i + 1}` })
      expect(result.rows.length, sql).toBeGreaterThan(0)
      results.set(i, result.rows)
    }
  })

  it('show the governed views: one per metric, and metric_values', () => {
    const listing = results.get(duckdbExamples.findIndex((sql) => sql.includes('information_schema.tables')))
    expect(listing?.map((r) => r.table_name).sort()).toEqual([...viewNames].sort())
    expect(listing?.find((r) => r.table_name === 'metric_values')?.table_type).toBe('BASE TABLE')
  })

  it('give the numbers revops query gives', async () => {
    const bySegment = results.get(duckdbExamples.findIndex((sql) => sql.includes('sum(mrr)'))) ?? []
    const answer = await revops('query', 'mrr', '--by', 'segment', '--from', '2025-12-01', '--format', 'json')
    const rows = (JSON.parse(answer.stdout) as { rows: Row[] }).rows
    const december = bySegment.filter((r) => r.period === '2025-12-01')
    expect(december.length).toBeGreaterThan(1)
    for (const r of december)
      expect(r.mrr, String(r.segment)).toBeCloseTo(Number(rows.find((x) => x.segment === r.segment)?.mrr), 6)

    const wide =
      results.get(duckdbExamples.findIndex((sql) => sql.includes('metrics.metric_values\nWHERE'))) ?? []
    const totals = await revops(
      'query',
      'mrr,nrr,logo_churn_rate',
      '--from',
      '2025-01-01',
      '--format',
      'json',
    )
    const expected = (JSON.parse(totals.stdout) as { rows: Row[] }).rows
    expect(wide.map((r) => r.period)).toEqual(expected.map((r) => r.period))
    for (const [i, r] of wide.entries())
      for (const metric of ['mrr', 'nrr', 'logo_churn_rate'])
        expect(r[metric], `${r.period} ${metric}`).toBeCloseTo(Number(expected[i]?.[metric]), 6)
  })
})

describe('the README’s Athena settings and examples', () => {
  const database = glueDatabaseName(METRICS_SCHEMA)

  it('name the deployed Glue database and workgroup', () => {
    expect(database).toBe('revops_metrics')
    const workgroup = new ResourceNames('revops').workgroup('bi')
    expect(readme).toContain(
      `jdbc:athena://Region=eu-west-1;WorkGroup=${workgroup};Catalog=AwsDataCatalog;Database=${database};`,
    )
    expect(readme).toContain(`Workgroup=${workgroup}`)
    expect(readme).toContain(`Schema=${database}`)
  })

  it('parse as Athena SQL and read only views the catalog publishes', async () => {
    expect(athenaExamples.length).toBeGreaterThanOrEqual(3)
    for (const sql of athenaExamples) {
      const validation = await validateAthenaSql(sql)
      expect(validation.errors, sql).toEqual([])
      const referenced = [...sql.matchAll(/\b([a-z_]+)\.([a-z_]+)\b/g)].filter(([, schema]) =>
        schema?.startsWith('revops'),
      )
      expect(referenced.length, sql).toBeGreaterThan(0)
      for (const [, schema, name] of referenced) {
        expect(schema).toBe(database)
        expect(viewNames, sql).toContain(name)
      }
    }
  })
})

describe('the README’s revops commands', () => {
  it('all exist', () => {
    const commands = new Set(buildProgram({} as never, () => {}).commands.map((c) => c.name()))
    const used = [...readme.matchAll(/npx revops ([a-z]+)/g)].map((m) => m[1] as string)
    expect(used.length).toBeGreaterThan(5)
    for (const command of used) expect(commands, command).toContain(command)
  })
})
