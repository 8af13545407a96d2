import type { ChunkLimits } from '../../core/lake/chunked-writer.js'
import type { LakeStore } from '../../core/lake/lake-store.js'
import { QuarantineWriter } from '../../core/lake/quarantine-writer.js'
import type { SourceName } from '../contract.js'
import { recogniseFile } from '../registry.js'
import { landItems } from './land-items.js'
import { LandReport, type LandSummary } from './land-report.js'
import { readExport } from './read-export.js'

export interface LandRunOptions {
  readonly source: SourceName
  /** The landing instant (`_ingested_at`, and `ingest_date` of objects that land for the first time). */
  readonly now?: Date
  readonly limits?: ChunkLimits
  readonly onProgress?: (message: string) => void
}

/**
 * One land of export files of a source: the CLI lands a folder's files through it, and a Lambda
 * handler can land an S3 object's body the same way (`landExport` with the body stream and a run
 * id derived from the object, e.g. its ETag). `finish` writes the quarantine and returns the counts.
 */
export class LandRun {
  readonly ingestedAt: Date
  private readonly report: LandReport
  private readonly quarantine: QuarantineWriter

  constructor(
    private readonly store: LakeStore,
    private readonly options: LandRunOptions,
  ) {
    this.ingestedAt = options.now ?? new Date()
    this.report = new LandReport(options.source, store.location, this.ingestedAt)
    this.quarantine = new QuarantineWriter(store, { source: options.source, ingestedAt: this.ingestedAt })
  }

  /**
   * Lands one export, recognised by its name (sources/registry.ts); an unknown name is
   * quarantined and counted. `runId` becomes `_run_id`: derive it from the content so that the
   * same export always carries the same one.
   */
  async landExport(name: string, bytes: AsyncIterable<Buffer>, runId: string): Promise<void> {
    const { source, limits, onProgress } = this.options
    const recognised = recogniseFile(source, name)
    if ('reason' in recognised) {
      const file = this.report.startFile(name, null)
      await this.quarantine.add({
        _entity: null,
        _file: name,
        _line: null,
        _reason_class: 'unknown_file',
        _reason: recognised.reason,
        _field: null,
        _run_id: runId,
        raw: null,
      })
      this.report.quarantined(file, 'unknown_file', { line: null, field: null, reason: recognised.reason })
      return
    }
    onProgress?.(`${name} → ${source}/${recognised.contract.entity}`)
    await landItems({
      store: this.store,
      contract: recognised.contract,
      items: readExport(bytes, recognised.format),
      file: this.report.startFile(name, recognised.contract.entity),
      runId,
      ingestedAt: this.ingestedAt,
      quarantine: this.quarantine,
      report: this.report,
      ...(limits ? { limits } : {}),
      ...(onProgress ? { onProgress } : {}),
    })
  }

  async finish(): Promise<LandSummary> {
    await this.quarantine.flush()
    return this.report.summary()
  }
}
