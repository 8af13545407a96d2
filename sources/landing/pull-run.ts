import { createHash, randomBytes } from 'node:crypto'
import { oneLine, UserError } from '../../core/errors.js'
import type { ChunkLimits } from '../../core/lake/chunked-writer.js'
import type { LakeStore } from '../../core/lake/lake-store.js'
import { QuarantineWriter } from '../../core/lake/quarantine-writer.js'
import { advanceWatermark, readWatermark } from '../../core/lake/watermark.js'
import type { EntityContract, SourceName } from '../contract.js'
import { findEntity } from '../registry.js'
import type { RecordItem } from './export-item.js'
import { landItems } from './land-items.js'
import { type FileSummary, LandReport } from './land-report.js'
import type { Json, PulledPage, PullFeed } from './pull-feed.js'
import type { EntityPullSummary, FeedStatus, FeedSummary, PullSummary } from './pull-report.js'
import {
  DEADLINE_NOTE,
  DEFAULT_RETRY_POLICY,
  type Deadline,
  DeadlineReached,
  deadlineNear,
  NO_DEADLINE,
  Retrier,
  type RetryPolicy,
} from './pull-retry.js'
import type { PullSettings } from './pull-settings.js'
import { type PullState, type PullWindow, readPullState, writePullState } from './pull-state.js'

export interface PullRunOptions {
  readonly source: SourceName
  readonly store: LakeStore
  readonly settings: PullSettings
  readonly clock?: () => Date
  /** Milliseconds left before the run must end (a Lambda's `context.getRemainingTimeInMillis`). */
  readonly remainingMs?: () => number
  readonly retry?: Partial<RetryPolicy>
  readonly runId?: string
  readonly limits?: ChunkLimits
  readonly onProgress?: (message: string) => void
}

interface Batch {
  readonly items: Map<string, RecordItem[]>
  readonly duplicates: Map<string, number>
  readonly openTail: string[]
  records: number
  pages: number
  next: Json | null
}

/**
 * One pull of a source, feed by feed, through the same landing core as file drops (contracts,
 * envelopes, content-named chunks, quarantine). For each feed it opens a window — from the oldest
 * watermark minus the overlap to now minus the safety lag — or continues the window an earlier
 * run left open, and lands the feed's pages in checkpoints: chunks first, then the quarantine,
 * then the resume cursor (a conditional write). Only when the last page is in the lake does the
 * window close and the watermarks move to its end. A run that stops early, at the deadline or on
 * an error, keeps every watermark; a crash re-reads at most one checkpoint, whose chunks are
 * found instead of written again. Records delivered twice (in one run, or again by the overlap)
 * are counted as duplicates and land once.
 */
export class PullRun {
  readonly runId: string
  readonly startedAt: Date
  readonly retrier: Retrier
  readonly deadline: Deadline
  private readonly clock: () => Date
  private readonly report: LandReport
  private readonly quarantine: QuarantineWriter
  private readonly files = new Map<string, FileSummary>()
  private readonly lines = new Map<string, number>()
  private readonly duplicates = new Map<string, number>()
  private readonly entities = new Map<string, EntityPullSummary>()
  private readonly feeds: FeedSummary[] = []
  private readonly notes: string[] = []
  private stoppedBy: { reason: 'deadline' | 'error'; message: string } | undefined

  constructor(private readonly options: PullRunOptions) {
    this.clock = options.clock ?? (() => new Date())
    this.startedAt = this.clock()
    this.runId = options.runId ?? defaultRunId(options.source, this.startedAt)
    this.deadline = options.remainingMs
      ? { remainingMs: options.remainingMs, marginMs: options.settings.stopMarginMs }
      : NO_DEADLINE
    this.retrier = new Retrier({ ...DEFAULT_RETRY_POLICY, ...options.retry }, this.deadline)
    this.report = new LandReport(options.source, options.store.location, this.startedAt)
    this.quarantine = new QuarantineWriter(options.store, {
      source: options.source,
      ingestedAt: this.startedAt,
    })
  }

  get source(): SourceName {
    return this.options.source
  }

  get settings(): PullSettings {
    return this.options.settings
  }

  /** True once a feed failed or the deadline came: later feeds are skipped. */
  get stopped(): boolean {
    return this.stoppedBy !== undefined
  }

  now(): Date {
    return this.clock()
  }

  note(message: string): void {
    if (!this.notes.includes(message)) this.notes.push(message)
  }

  /** Stops the run with an error that happened outside a feed (setting up a client, say). */
  fail(error: unknown): void {
    this.stoppedBy ??= { reason: 'error', message: describe(error) }
  }

  /** Whether a feed has a window open from an earlier run (it then continues before anything new). */
  async hasOpenWindow(feedName: string): Promise<boolean> {
    return (await readPullState(this.options.store, this.source, feedName)).state.window !== null
  }

  async watermark(entity: string): Promise<string | null> {
    return (await readWatermark(this.options.store, this.source, entity))?.cursor ?? null
  }

  /** Pulls the feed's open window, or a new one. After anything but complete/up_to_date the run stops. */
  async feed(feed: PullFeed): Promise<FeedStatus> {
    const summary: FeedSummary = {
      feed: feed.name,
      entities: feed.entities,
      status: 'skipped',
      window: null,
      resumed: false,
      pages: 0,
      records: 0,
      error: null,
    }
    this.feeds.push(summary)
    const contracts = feed.entities.map((entity) => this.contract(entity))
    try {
      for (const contract of contracts) await this.entitySummary(contract.entity)
      if (this.stopped) return summary.status
      let { state, version } = await readPullState(this.options.store, this.source, feed.name)
      summary.resumed = state.window !== null
      if (state.window === null) {
        const window = await this.openWindow(feed)
        if (window === null) {
          summary.status = 'up_to_date'
          return summary.status
        }
        state = { ...state, window, resume: null, pages: 0, open_tail: [] }
        version = await writePullState(this.options.store, this.source, feed.name, state, version)
      }
      summary.window = { from: state.window?.from ?? null, to: state.window?.to ?? '' }
      summary.status = await this.drain(feed, state, version, summary)
    } catch (error) {
      summary.status = 'failed'
      summary.error = describe(error)
      this.stoppedBy ??= { reason: 'error', message: `${feed.name}: ${summary.error}` }
    }
    return summary.status
  }

  async finish(): Promise<PullSummary> {
    await this.quarantine.flush()
    const land = this.report.summary()
    const counts = new Map(land.entities.map((e) => [e.entity, e]))
    const entities = [...this.entities.values()].sort((a, b) => a.entity.localeCompare(b.entity))
    for (const entity of entities) {
      const c = counts.get(entity.entity)
      entity.landed = c?.landed ?? 0
      entity.duplicate = (c?.duplicate ?? 0) + (this.duplicates.get(entity.entity) ?? 0)
      entity.quarantined = c?.quarantined ?? 0
      entity.watermark_after = await this.watermark(entity.entity)
    }
    const totals = entities.reduce(
      (t, e) => ({
        landed: t.landed + e.landed,
        duplicate: t.duplicate + e.duplicate,
        quarantined: t.quarantined + e.quarantined,
      }),
      { landed: 0, duplicate: 0, quarantined: 0 },
    )
    const stopped = this.stoppedBy
    return {
      source: this.source,
      lake: this.options.store.location,
      run_id: this.runId,
      started_at: this.startedAt.toISOString(),
      finished_at: this.clock().toISOString(),
      status: stopped === undefined ? 'complete' : stopped.reason === 'deadline' ? 'continued' : 'failed',
      error: stopped?.message ?? null,
      totals,
      entities,
      feeds: this.feeds,
      quarantine: land.quarantine,
      requests: { ...this.retrier.stats },
      notes: this.notes,
    }
  }

  private async openWindow(feed: PullFeed): Promise<PullWindow | null> {
    const now = this.clock()
    const to = feed.windowTo ? feed.windowTo(now) : new Date(now.getTime() - this.settings.lagMs)
    let oldest: Date | null = null
    if (!feed.fromBeginning) {
      const marks = await Promise.all(feed.entities.map((entity) => this.watermark(entity)))
      if (marks.every((m) => m !== null)) {
        oldest = new Date(Math.min(...marks.map((m) => Date.parse(m as string))))
      }
    }
    const from = feed.windowFrom
      ? feed.windowFrom(oldest, now)
      : oldest && new Date(oldest.getTime() - this.settings.overlapMs)
    if (from !== null && from.getTime() >= to.getTime()) return null
    return {
      from: from?.toISOString() ?? null,
      to: to.toISOString(),
      opened_at: now.toISOString(),
      run_id: this.runId,
    }
  }

  /** Reads the window's pages, landing them checkpoint by checkpoint, and closes the window at its end. */
  private async drain(
    feed: PullFeed,
    initial: PullState,
    initialVersion: string | null,
    summary: FeedSummary,
  ): Promise<FeedStatus> {
    let state = initial
    let version = initialVersion
    const window = state.window
    if (window === null) throw new Error('drain needs an open window')
    const tailFrom = Date.parse(window.to) - this.settings.overlapMs
    // Identities that must not land again: this window's tail so far, and the tails of the windows
    // (this feed's and related feeds') that this window's overlap reads again.
    const seen = new Set(state.open_tail)
    const tails = [state.tail]
    for (const related of feed.relatedFeeds ?? []) {
      tails.push((await readPullState(this.options.store, this.source, related)).state.tail)
    }
    const from = window.from === null ? Number.NEGATIVE_INFINITY : Date.parse(window.from)
    for (const tail of tails) {
      if (tail !== null && Date.parse(tail.to) > from)
        for (const identity of tail.identities) seen.add(identity)
    }
    const pagesPerCheckpoint = feed.pagesPerCheckpoint ?? Number.POSITIVE_INFINITY
    const label = `${this.source}/${feed.name}`
    let batch = emptyBatch(state.resume)
    let stop: { reason: 'deadline' | 'error'; message: string } | undefined

    const commit = async (): Promise<void> => {
      if (batch.pages === 0) return
      for (const [entity, items] of batch.items) await this.land(entity, items)
      await this.quarantine.flush()
      state = {
        ...state,
        resume: batch.next,
        pages: state.pages + batch.pages,
        open_tail: [...state.open_tail, ...batch.openTail],
      }
      version = await writePullState(this.options.store, this.source, feed.name, state, version)
      for (const [entity, count] of batch.duplicates) {
        this.duplicates.set(entity, (this.duplicates.get(entity) ?? 0) + count)
      }
      summary.pages += batch.pages
      summary.records += batch.records
      this.options.onProgress?.(`${label}: ${summary.pages} pages, ${summary.records} records`)
      batch = emptyBatch(batch.next)
    }

    // A window whose last page landed before the run could close it needs only closing.
    let finished = state.pages > 0 && state.resume === null
    const iterator = feed.pages(window, state.resume)[Symbol.asyncIterator]()
    try {
      while (!finished) {
        if (deadlineNear(this.deadline)) {
          stop = { reason: 'deadline', message: `${label}: ${DEADLINE_NOTE}` }
          break
        }
        const next = await iterator.next()
        if (next.done) {
          finished = true
          break
        }
        this.addPage(batch, next.value, seen, tailFrom)
        // The last page says so (no cursor after it); the post-loop commit lands it.
        if (next.value.next === null) finished = true
        else if (batch.records >= this.settings.batchRecords || batch.pages >= pagesPerCheckpoint)
          await commit()
      }
    } catch (error) {
      stop =
        error instanceof DeadlineReached
          ? { reason: 'deadline', message: `${label}: ${DEADLINE_NOTE} (${oneLine(error)})` }
          : { reason: 'error', message: `${label}: ${describe(error)}` }
    } finally {
      await iterator.return?.()?.catch(() => undefined)
    }
    // Pages read before a stop are whole and valid: land them, so the next run starts after them.
    try {
      await commit()
    } catch (error) {
      this.stoppedBy ??= stop ?? { reason: 'error', message: `${label}: ${describe(error)}` }
      summary.error = describe(error)
      return 'failed'
    }
    if (stop !== undefined) {
      this.stoppedBy ??= stop
      summary.error = stop.message
      return stop.reason === 'deadline' ? 'continued' : 'failed'
    }
    if (!finished) return 'failed'
    await writePullState(
      this.options.store,
      this.source,
      feed.name,
      {
        window: null,
        resume: null,
        pages: 0,
        tail: { to: window.to, identities: state.open_tail },
        open_tail: [],
      },
      version,
    )
    for (const entity of feed.entities) {
      await advanceWatermark(this.options.store, this.source, entity, {
        cursor: window.to,
        runId: this.runId,
        at: this.clock(),
      })
    }
    this.options.onProgress?.(`${label}: window up to ${window.to} done`)
    return 'complete'
  }

  private addPage(batch: Batch, page: PulledPage, seen: Set<string>, tailFrom: number): void {
    batch.pages += 1
    batch.next = page.next
    for (const record of page.records) {
      const contract = this.contract(record.entity)
      const text = JSON.stringify(record.value) ?? 'null'
      const identity = createHash('sha256')
        .update(`${contract.entity}\u0000${record.cursor ?? ''}\u0000${text}`)
        .digest('base64url')
        .slice(0, 22)
      if (seen.has(identity)) {
        batch.duplicates.set(contract.entity, (batch.duplicates.get(contract.entity) ?? 0) + 1)
        continue
      }
      seen.add(identity)
      if (record.position !== null && Date.parse(record.position) > tailFrom) batch.openTail.push(identity)
      const line = (this.lines.get(contract.entity) ?? 0) + 1
      this.lines.set(contract.entity, line)
      let items = batch.items.get(contract.entity)
      if (items === undefined) {
        items = []
        batch.items.set(contract.entity, items)
      }
      items.push({
        kind: 'record',
        line,
        // The contract checks the record as its payload will read (an SDK's Date is ISO text there).
        value: JSON.parse(text),
        raw: text,
        payload: text,
        ...(record.cursor === undefined ? {} : { cursor: record.cursor }),
      })
      batch.records += 1
    }
  }

  private async land(entity: string, items: readonly RecordItem[]): Promise<void> {
    const contract = this.contract(entity)
    let file = this.files.get(entity)
    if (file === undefined) {
      file = this.report.startFile(`api:${this.source}/${entity}`, entity)
      this.files.set(entity, file)
    }
    await landItems({
      store: this.options.store,
      contract,
      items: (async function* () {
        yield* items
      })(),
      file,
      runId: this.runId,
      ingestedAt: this.startedAt,
      quarantine: this.quarantine,
      report: this.report,
      ...(this.options.limits ? { limits: this.options.limits } : {}),
    })
  }

  private contract(entity: string): EntityContract {
    const contract = findEntity(this.source, entity)
    if (contract === undefined) throw new Error(`no ${this.source} contract for entity ${entity}`)
    return contract
  }

  private async entitySummary(entity: string): Promise<void> {
    if (this.entities.has(entity)) return
    const before = await this.watermark(entity)
    this.entities.set(entity, {
      entity,
      landed: 0,
      duplicate: 0,
      quarantined: 0,
      watermark_before: before,
      watermark_after: before,
    })
  }
}

/** One line for the summary, with the advice of a user-fixable error. */
function describe(error: unknown): string {
  const hint = error instanceof UserError && error.hint ? ` (${error.hint})` : ''
  return `${oneLine(error)}${hint}`
}

function emptyBatch(next: Json | null): Batch {
  return { items: new Map(), duplicates: new Map(), openTail: [], records: 0, pages: 0, next }
}

/** `pull-<source>-<UTC time>-<random>`: sortable, and unique across concurrent runs. */
function defaultRunId(source: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z')
  return `pull-${source}-${stamp}-${randomBytes(3).toString('hex')}`
}
