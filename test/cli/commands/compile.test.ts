import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { compile } from '../../../cli/commands/compile.js'
import { createContext } from '../../../cli/context.js'
import { models } from '../../fixtures/transforms/models/index.js'

const dir = mkdtempSync(join(tmpdir(), 'revops-cli-compile-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function context() {
  const stdout = new PassThrough()
  const out: string[] = []
  stdout.on('data', (d) => out.push(String(d)))
  return {
    ctx: createContext({ dir }, { stdout, stderr: new PassThrough(), env: {} }),
    out: () => out.join(''),
  }
}

describe('revops compile', () => {
  it('writes one file per model and test for Athena, with Glue database names', async () => {
    const out = join(dir, 'athena')
    const io = context()
    expect(await compile(io.ctx, { dialect: 'athena', out }, models)).toBe(0)
    const metricFiles = readdirSync(join(out, 'metrics'))
    expect(io.out()).toBe(`wrote ${24 + metricFiles.length} files of athena SQL to ${out}\n`)
    expect(readdirSync(join(out, 'models')).sort()).toEqual(['intermediate', 'marts', 'staging'])
    expect(metricFiles).toEqual(expect.arrayContaining(['mrr.sql', 'nrr.sql', 'metric_values.sql']))
    expect(readFileSync(join(out, 'metrics', 'mrr.sql'), 'utf8')).toContain(
      'CREATE OR REPLACE VIEW "revops_metrics"."mrr" AS',
    )
    const text = readFileSync(join(out, 'models', 'marts', 'dim_customers.sql'), 'utf8')
    expect(text).toMatch(/^-- model dim_customers \(table\), layer marts\n/)
    expect(text).toContain(`CREATE TABLE "revops_physical"."dim_customers__`)
    expect(text).toContain(`CREATE OR REPLACE VIEW "revops_marts"."dim_customers" AS`)
  })

  it('defaults to DuckDB under the warehouse folder', async () => {
    const io = context()
    expect(await compile(io.ctx, {}, models)).toBe(0)
    const text = readFileSync(
      join(dir, 'compiled', 'duckdb', 'models', 'staging', 'stg_invoices.sql'),
      'utf8',
    )
    expect(text).toContain('CREATE OR REPLACE VIEW "physical"."stg_invoices__')
    expect(text).toContain('"raw"."stripe__invoices" as "raw"')
  })
})
