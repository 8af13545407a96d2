import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../cli/main.js'
import { capture } from './capture.js'

const dir = mkdtempSync(join(tmpdir(), 'revops-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('revops CLI', () => {
  it('lists every command of the contract in --help', async () => {
    const io = capture()
    expect(await runCli(['--help'], io.streams)).toBe(0)
    for (const command of [
      'demo',
      'land',
      'pull',
      'build',
      'test',
      'compile',
      'query',
      'metrics',
      'report',
      'serve',
      'check',
      'docs',
    ]) {
      expect(io.out()).toMatch(new RegExp(`\\n  ${command}\\b`))
    }
  })

  it('rejects an unknown command with a usage exit code', async () => {
    const io = capture()
    expect(await runCli(['frobnicate'], io.streams)).toBe(2)
    expect(io.err()).toContain("unknown command 'frobnicate'")
  })

  it('rejects an unknown engine', async () => {
    const io = capture()
    expect(await runCli(['demo', '--engine', 'oracle', '--dir', dir], io.streams)).toBe(2)
    expect(io.err()).toContain('oracle')
  })

  it('rejects a bad demo scale with one line and a failure exit code', async () => {
    const io = capture()
    expect(await runCli(['demo', '--dir', dir, '--scale', '0'], io.streams)).toBe(1)
    expect(io.err()).toBe('revops: --scale must be a positive number\n')
  })
})
