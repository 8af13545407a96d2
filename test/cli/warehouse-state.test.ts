import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readBuildInfo } from '../../cli/warehouse-state.js'

const root = mkdtempSync(join(tmpdir(), 'revops-state-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('readBuildInfo', () => {
  it('has no build before the first one', () => {
    expect(readBuildInfo(join(root, 'none'))).toBeUndefined()
  })

  it('names the last build by the finish instant the framework records', () => {
    writeFileSync(
      join(root, 'run_results.json'),
      JSON.stringify({ finishedAt: '2026-01-02T03:04:05.000Z', models: [] }),
    )
    expect(readBuildInfo(root)).toEqual({
      id: '2026-01-02T03:04:05.000Z',
      finishedAt: '2026-01-02T03:04:05.000Z',
    })
  })

  it('falls back to the file’s time when the results carry no finish instant', () => {
    const file = join(root, 'run_results.json')
    writeFileSync(file, JSON.stringify({ models: [] }))
    expect(readBuildInfo(root)).toEqual({ id: statSync(file).mtime.toISOString() })
  })
})
