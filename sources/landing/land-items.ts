import type { ChunkLimits } from '../../core/lake/chunked-writer.js'
import type { LakeStore } from '../../core/lake/lake-store.js'
import type { QuarantineWriter } from '../../core/lake/quarantine-writer.js'
import { RawWriter } from '../../core/lake/raw-writer.js'
import type { EntityContract } from '../contract.js'
import { type ExportItem, UnreadableFileError } from './export-item.js'
import type { FileSummary, LandReport } from './land-report.js'

export interface LandItemsOptions {
  readonly store: LakeStore
  readonly contract: EntityContract
  readonly items: AsyncIterable<ExportItem>
  /** The file (or pull) the items come from, for quarantine and the report. */
  readonly file: FileSummary
  readonly runId: string
  readonly ingestedAt: Date
  readonly quarantine: QuarantineWriter
  readonly report: LandReport
  readonly limits?: ChunkLimits
  readonly onProgress?: (message: string) => void
}

const PROGRESS_EVERY = 100_000

/**
 * The landing core, shared by file drops and API pulls: checks each record against its entity's
 * contract, wraps it in an envelope and writes content-named chunks to raw/; malformed and
 * contract-breaking records go to quarantine with file, line and reason. If the file becomes
 * unreadable part-way, what was read before lands and the rest is reported. A failing lake store
 * stops the land (re-running it lands the rest, exactly once).
 */
export async function landItems(options: LandItemsOptions): Promise<void> {
  const { contract, file, quarantine, report } = options
  const writer = new RawWriter(options.store, {
    source: contract.source,
    entity: contract.entity,
    runId: options.runId,
    ingestedAt: options.ingestedAt,
    ...(options.limits ? { limits: options.limits } : {}),
  })
  const base = { _entity: contract.entity, _file: file.file, _run_id: options.runId }
  try {
    for await (const item of options.items) {
      file.read += 1
      report.markRead()
      if (file.read % PROGRESS_EVERY === 0)
        options.onProgress?.(`${file.file}: ${file.read.toLocaleString('en-US')} records`)
      if (item.kind === 'malformed') {
        await quarantine.add({
          ...base,
          _line: item.line,
          _reason_class: 'malformed_record',
          _reason: item.reason,
          _field: null,
          raw: item.raw,
        })
        report.quarantined(file, 'malformed_record', { line: item.line, field: null, reason: item.reason })
        continue
      }
      const checked = contract.check(item.value)
      if (!checked.ok) {
        await quarantine.add({
          ...base,
          _line: item.line,
          _reason_class: checked.reasonClass,
          _reason: checked.reason,
          _field: checked.field,
          raw: item.raw,
        })
        report.quarantined(file, checked.reasonClass, {
          line: item.line,
          field: checked.field,
          reason: checked.reason,
        })
        continue
      }
      await writer.add({
        _id: checked.id,
        _updated_at: item.cursor ?? checked.cursor,
        _deleted: checked.deleted,
        payload: item.payload ?? JSON.stringify(checked.record),
      })
    }
    report.markRead()
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error
    file.error = error.message
    await quarantine.add({
      ...base,
      _line: error.line,
      _reason_class: 'unreadable_file',
      _reason: error.message,
      _field: null,
      raw: error.partial,
    })
    report.quarantined(file, 'unreadable_file', { line: error.line, field: null, reason: error.message })
  }
  await writer.flush()
  report.chunksWritten(file, writer.written)
}
