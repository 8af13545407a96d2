import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { handlerEntry } from '../../infra/handler-entry.js'

const root = mkdtempSync(join(tmpdir(), 'revops-handlers-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('handlerEntry', () => {
  it('resolves handlers/<name>/handler.ts under the repository root to an absolute path', () => {
    mkdirSync(join(root, 'handlers', 'pull-stripe'), { recursive: true })
    writeFileSync(join(root, 'handlers', 'pull-stripe', 'handler.ts'), 'export {}\n')
    expect(handlerEntry('pull-stripe', pathToFileURL(`${root}/`))).toBe(
      join(root, 'handlers', 'pull-stripe', 'handler.ts'),
    )
  })

  it('fails naming the missing file, and refuses names that could leave handlers/', () => {
    expect(() => handlerEntry('pull-hubspot', pathToFileURL(`${root}/`))).toThrow(
      `no Lambda handler at ${join(root, 'handlers', 'pull-hubspot', 'handler.ts')}`,
    )
    expect(() => handlerEntry('../core')).toThrow(/invalid handler name/)
  })
})
