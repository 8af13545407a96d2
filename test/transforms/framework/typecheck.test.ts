import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = resolve(import.meta.dirname, '../../..')
const tsc = resolve(root, 'node_modules/typescript/bin/tsc')

/** Type-checks one fixture project (test/fixtures/typecheck, excluded from the main tsconfig). */
async function typecheck(config: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [tsc, '--noEmit', '--pretty', 'false', '-p', config], {
      cwd: root,
    })
    return { code: 0, output: stdout }
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string }
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` }
  }
}

describe('upstream columns are checked by tsc', () => {
  it('rejects a model that selects a column its upstream model does not have, and accepts the fix', async () => {
    const [broken, fixed] = await Promise.all([
      typecheck('test/fixtures/typecheck/tsconfig.broken.json'),
      typecheck('test/fixtures/typecheck/tsconfig.fixed.json'),
    ])
    expect(broken.code).not.toBe(0)
    expect(broken.output).toMatch(/broken-model\.ts\(12,\d+\): error TS2769: No overload matches this call\./)
    expect(broken.output).toContain(`'"inv.amount_cents as amount"'`)
    expect(broken.output.match(/error TS/g)).toHaveLength(1)
    expect(fixed).toEqual({ code: 0, output: '' })
  }, 180_000)
})
