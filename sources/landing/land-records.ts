import type { ChunkLimits } from '../../core/lake/chunked-writer.js'
import type { LakeStore } from '../../core/lake/lake-store.js'
import { QuarantineWriter } from '../../core/lake/quarantine-writer.js'
import type { EntityContract } from '../contract.js'
import type { ExportItem } from './export-item.js'
import { landItems } from './land-items.js'
import { LandReport, type LandSummary } from './land-report.js'

export interface LandRecordsOptions {
  readonly contract: EntityContract
  /** Vendor records as the API returned them (objects), in order. */
  readonly records: AsyncIterable<unknown>
  /** The pull run (window) these records belong to. */
  readonly runId: string
  /** Names the pull in quarantine and reports, e.g. `api:/v1/invoices`. */
  readonly label: string
  readonly now?: Date
  readonly limits?: ChunkLimits
  readonly onProgress?: (message: string) => void
}

/**
 * Lands records handed over by an API pull with the same contract checks, envelopes, chunking
 * and quarantine as a file drop. Each record's JSON text is its payload.
 */
export async function landRecords(store: LakeStore, options: LandRecordsOptions): Promise<LandSummary> {
  const ingestedAt = options.now ?? new Date()
  const { source, entity } = options.contract
  const report = new LandReport(source, store.location, ingestedAt)
  const quarantine = new QuarantineWriter(store, { source, ingestedAt })
  await landItems({
    store,
    contract: options.contract,
    items: asItems(options.records),
    file: report.startFile(options.label, entity),
    runId: options.runId,
    ingestedAt,
    quarantine,
    report,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  })
  await quarantine.flush()
  return report.summary()
}

async function* asItems(records: AsyncIterable<unknown>): AsyncGenerator<ExportItem> {
  let line = 0
  for await (const value of records) {
    line += 1
    const text = JSON.stringify(value) ?? 'null'
    yield { kind: 'record', line, value, raw: text, payload: text }
  }
}
