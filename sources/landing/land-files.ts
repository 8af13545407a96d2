import { createHash } from 'node:crypto'
import { readdir, stat } from 'node:fs/promises'
import { basename, join, relative } from 'node:path'
import { UserError } from '../../core/errors.js'
import type { LakeStore } from '../../core/lake/lake-store.js'
import type { LandSummary } from './land-report.js'
import { LandRun, type LandRunOptions } from './land-run.js'
import { openFile } from './open-export.js'

export interface LandFilesOptions extends LandRunOptions {
  /** A folder (searched recursively; names starting with "." are skipped) or one file. */
  readonly from: string
}

/**
 * `revops land <source> --from <path>`: lands every export file of a folder, streamed record by
 * record into content-named chunks, so landing the same files again — any day — lands nothing
 * new. A file's `_run_id` is `file-<sha256 prefix of its bytes>`: the same file always carries the
 * same run id. Unknown and unreadable files are quarantined and counted, never fatal.
 */
export async function landFiles(store: LakeStore, options: LandFilesOptions): Promise<LandSummary> {
  const files = await exportFiles(options.from)
  const run = new LandRun(store, options)
  for (const { path, name } of files) {
    await run.landExport(name, openFile(path), await fileRunId(path))
  }
  return run.finish()
}

interface ExportFile {
  readonly path: string
  /** Relative to `--from` (or the file's name), as reports and quarantine show it. */
  readonly name: string
}

async function exportFiles(from: string): Promise<ExportFile[]> {
  const info = await stat(from).catch(() => undefined)
  if (info === undefined) throw new UserError(`--from ${from}: no such file or folder`)
  if (info.isFile()) return [{ path: from, name: basename(from) }]
  const found: ExportFile[] = []
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true })
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.')) continue
      const path = join(dir, entry.name)
      if (entry.isDirectory()) await walk(path)
      else if (entry.isFile() || (await stat(path).catch(() => undefined))?.isFile()) {
        found.push({ path, name: relative(from, path).split('\\').join('/') })
      }
    }
  }
  await walk(from)
  if (found.length === 0) throw new UserError(`--from ${from}: no export files in this folder`)
  return found
}

/** Hashes the file's bytes (a quick streaming pass; the file is then in the page cache). */
async function fileRunId(path: string): Promise<string> {
  const hash = createHash('sha256')
  try {
    for await (const piece of openFile(path)) hash.update(piece as Buffer)
  } catch {
    // An unreadable file is reported when it is read; its run id only needs to be stable.
  }
  return `file-${hash.digest('hex').slice(0, 16)}`
}
