import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { basename, join, relative } from 'node:path'
import { UserError } from '../../core/errors.js'
import type { ChunkLimits } from '../../core/lake/chunked-writer.js'
import type { LakeStore } from '../../core/lake/lake-store.js'
import { QuarantineWriter } from '../../core/lake/quarantine-writer.js'
import type { SourceName } from '../contract.js'
import { recogniseFile } from '../registry.js'
import { landItems } from './land-items.js'
import { LandReport, type LandSummary } from './land-report.js'
import { readExport } from './read-export.js'

export interface LandFilesOptions {
  readonly source: SourceName
  /** A folder (searched recursively; names starting with "." are skipped) or one file. */
  readonly from: string
  /** The landing instant (`_ingested_at`, and `ingest_date` of objects that land for the first time). */
  readonly now?: Date
  readonly limits?: ChunkLimits
  readonly onProgress?: (message: string) => void
}

/**
 * `revops land <source> --from <path>`: lands every export file of a folder. Each file is
 * recognised by name (sources/registry.ts), streamed, checked record by record and written as
 * content-named chunks, so landing the same files again — any day — lands nothing new. A file's
 * `_run_id` is derived from its bytes (`file-<sha256 prefix>`), so the same file always carries the
 * same run id. Unknown and unreadable files are quarantined and counted, never fatal.
 */
export async function landFiles(store: LakeStore, options: LandFilesOptions): Promise<LandSummary> {
  const ingestedAt = options.now ?? new Date()
  const files = await exportFiles(options.from)
  const report = new LandReport(options.source, store.location, ingestedAt)
  const quarantine = new QuarantineWriter(store, { source: options.source, ingestedAt })
  for (const { path, name } of files) {
    const recognised = recogniseFile(options.source, name)
    if ('reason' in recognised) {
      const file = report.startFile(name, null)
      const entry = {
        _line: null,
        _reason_class: 'unknown_file',
        _reason: recognised.reason,
        _field: null,
      } as const
      await quarantine.add({ ...entry, _entity: null, _file: name, _run_id: 'unknown-file', raw: null })
      report.quarantined(file, 'unknown_file', { line: null, field: null, reason: recognised.reason })
      continue
    }
    const file = report.startFile(name, recognised.contract.entity)
    options.onProgress?.(`${name} → ${options.source}/${recognised.contract.entity}`)
    const runId = await fileRunId(path)
    await landItems({
      store,
      contract: recognised.contract,
      items: readExport(path, recognised.format),
      file,
      runId,
      ingestedAt,
      quarantine,
      report,
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    })
  }
  await quarantine.flush()
  return report.summary()
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

async function fileRunId(path: string): Promise<string> {
  const hash = createHash('sha256')
  try {
    for await (const piece of createReadStream(path)) hash.update(piece as Buffer)
  } catch {
    // Unreadable files are reported by the reader; the run id only needs to be stable.
  }
  return `file-${hash.digest('hex').slice(0, 16)}`
}
