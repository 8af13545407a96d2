import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { replaceFile } from '../../core/replace-file.js'

const root = mkdtempSync(join(tmpdir(), 'revops-replace-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('replaceFile', () => {
  it('creates missing folders, replaces the file whole and leaves no temporary behind', async () => {
    const path = join(root, 'a', 'b', 'report.html')
    await replaceFile(path, 'first')
    await replaceFile(path, 'second')
    expect(readFileSync(path, 'utf8')).toBe('second')
    expect(readdirSync(join(root, 'a', 'b'))).toEqual(['report.html'])
  })
})
