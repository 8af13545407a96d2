import type { ChunkOutcome } from '../../core/lake/chunked-writer.js'
import type { ReasonClass } from '../../core/lake/quarantine-writer.js'

export interface Counts {
  landed: number
  duplicate: number
  quarantined: number
}

export interface EntitySummary extends Counts {
  readonly entity: string
  files: number
}

export interface FileSummary extends Counts {
  readonly file: string
  readonly entity: string | null
  /** Records and malformed lines read (a whole unknown or unreadable file counts as one quarantined). */
  read: number
  /** Why the file was not read to its end, if it was not. */
  error: string | null
}

export interface QuarantineExample {
  readonly file: string
  readonly line: number | null
  readonly field: string | null
  readonly reason: string
}

export interface ReasonSummary {
  readonly reason_class: ReasonClass
  count: number
  readonly examples: QuarantineExample[]
}

/** What a land did, per entity, per file and per reason; `--json` prints it as is. */
export interface LandSummary {
  readonly source: string
  readonly lake: string
  readonly ingested_at: string
  readonly totals: Counts
  readonly entities: readonly EntitySummary[]
  readonly quarantine: readonly ReasonSummary[]
  readonly files: readonly FileSummary[]
  /** False when no file could be read at all (every file unknown or unreadable). */
  readonly read_anything: boolean
}

/** Accumulates a land's counts as it goes. */
export class LandReport {
  private readonly entities = new Map<string, EntitySummary>()
  private readonly reasons = new Map<ReasonClass, ReasonSummary>()
  private readonly files: FileSummary[] = []
  private readAnything = false

  constructor(
    private readonly source: string,
    private readonly lake: string,
    private readonly ingestedAt: Date,
    private readonly examplesPerReason = 5,
  ) {}

  startFile(file: string, entity: string | null): FileSummary {
    const summary: FileSummary = {
      file,
      entity,
      read: 0,
      landed: 0,
      duplicate: 0,
      quarantined: 0,
      error: null,
    }
    this.files.push(summary)
    if (entity !== null) this.entity(entity).files += 1
    return summary
  }

  /** The file was opened and read (even if empty): the land is not a failure. */
  markRead(): void {
    this.readAnything = true
  }

  quarantined(file: FileSummary, reasonClass: ReasonClass, example: Omit<QuarantineExample, 'file'>): void {
    file.quarantined += 1
    if (file.entity !== null) this.entity(file.entity).quarantined += 1
    let reason = this.reasons.get(reasonClass)
    if (reason === undefined) {
      reason = { reason_class: reasonClass, count: 0, examples: [] }
      this.reasons.set(reasonClass, reason)
    }
    reason.count += 1
    if (reason.examples.length < this.examplesPerReason) reason.examples.push({ file: file.file, ...example })
  }

  chunksWritten(file: FileSummary, outcomes: readonly ChunkOutcome[]): void {
    for (const outcome of outcomes) {
      const counts = file.entity === null ? undefined : this.entity(file.entity)
      if (outcome.result === 'created') {
        file.landed += outcome.records
        if (counts) counts.landed += outcome.records
      } else {
        file.duplicate += outcome.records
        if (counts) counts.duplicate += outcome.records
      }
    }
  }

  summary(): LandSummary {
    const entities = [...this.entities.values()].sort((a, b) => a.entity.localeCompare(b.entity))
    const totals = this.files.reduce(
      (t, f) => ({
        landed: t.landed + f.landed,
        duplicate: t.duplicate + f.duplicate,
        quarantined: t.quarantined + f.quarantined,
      }),
      { landed: 0, duplicate: 0, quarantined: 0 },
    )
    return {
      source: this.source,
      lake: this.lake,
      ingested_at: this.ingestedAt.toISOString(),
      totals,
      entities,
      quarantine: [...this.reasons.values()],
      files: this.files,
      read_anything: this.readAnything,
    }
  }

  private entity(entity: string): EntitySummary {
    let found = this.entities.get(entity)
    if (found === undefined) {
      found = { entity, files: 0, landed: 0, duplicate: 0, quarantined: 0 }
      this.entities.set(entity, found)
    }
    return found
  }
}
