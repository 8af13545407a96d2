import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** The project files and the packages a handler's bundle would take in (packages left external). */
async function reach(entry: string): Promise<{ files: string[]; packages: string[] }> {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    packages: 'external',
    logLevel: 'silent',
  })
  const packages = new Set<string>()
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imported of input.imports) {
      if (imported.external && !imported.path.startsWith('node:')) {
        const parts = imported.path.split('/')
        packages.add(imported.path.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? ''))
      }
    }
  }
  return { files: Object.keys(result.metafile.inputs), packages: [...packages].sort() }
}

const VENDOR_SDKS = ['stripe', '@hubspot/api-client', 'jsforce']

describe('the ingestion Lambda bundles', () => {
  it.each([
    ['handlers/pull-stripe/handler.ts', 'stripe'],
    ['handlers/pull-hubspot/handler.ts', '@hubspot/api-client'],
    ['handlers/pull-salesforce/handler.ts', 'jsforce'],
    ['handlers/pull-ads/handler.ts', undefined],
    ['handlers/file-drop/handler.ts', undefined],
  ])('%s takes no CDK, no SQL parser, no SQL layer, and only its own vendor SDK', async (entry, sdk) => {
    const { files, packages } = await reach(entry)
    expect(
      packages.filter((p) => ['aws-cdk-lib', 'constructs', 'dt-sql-parser', 'cdk-nag'].includes(p)),
    ).toEqual([])
    expect(
      files.filter((f) => f.startsWith('infra/') || f.startsWith('core/sql/') || f.startsWith('transforms/')),
    ).toEqual([])
    expect(packages.filter((p) => VENDOR_SDKS.includes(p))).toEqual(sdk === undefined ? [] : [sdk])
  })
})
