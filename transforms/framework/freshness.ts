import { oneLine } from '../../core/errors.js'
import { ENVELOPE_PARTITION } from '../../core/lake/envelope.js'
import { sqlText } from './compile.js'
import type { Source } from './define-source.js'
import type { Target } from './target.js'

export interface FreshnessResult {
  readonly source: string
  readonly status: 'pass' | 'warn' | 'error'
  /** The newest `_ingested_at`/`_updated_at` seen, ISO-8601, or null when none was found. */
  readonly latest: string | null
  readonly ageHours: number | null
  readonly message: string
  readonly seconds: number
}

const HOUR = 3_600_000

/**
 * Checks each source with a freshness rule: the newest timestamp against its warn/error
 * thresholds. Only the recent `ingest_date` partitions are read (the rule's largest threshold
 * plus a day), so on Athena the check scans days, not the whole raw history.
 */
export async function checkFreshness(
  target: Target,
  sources: readonly Source[],
  now: Date = new Date(),
): Promise<FreshnessResult[]> {
  const results: FreshnessResult[] = []
  for (const source of sources) {
    const rule = source.freshness
    if (rule === undefined) continue
    const started = performance.now()
    const d = target.dialect
    const horizonHours = Math.max(rule.warnAfterHours ?? 0, rule.errorAfterHours ?? 0) + 24
    const since = new Date(now.getTime() - horizonHours * HOUR).toISOString().slice(0, 10)
    const table = d.tableName(target.table(source.table.schema, source.table.name))
    const seconds = () => (performance.now() - started) / 1000
    try {
      const { rows } = await target.run<{ latest: string | null }>(
        `SELECT max(${d.quoteIdentifier(rule.field)}) AS latest FROM ${table} WHERE ${d.quoteIdentifier(ENVELOPE_PARTITION.name)} >= ${sqlText(d.dateLiteral(since), d)}`,
        `freshness of ${source.id}`,
      )
      const latest = rows[0]?.latest ?? null
      const ageHours = latest === null ? null : (now.getTime() - Date.parse(latest)) / HOUR
      const over = (limit: number | undefined) =>
        limit !== undefined && (ageHours === null || ageHours > limit)
      const status = over(rule.errorAfterHours) ? 'error' : over(rule.warnAfterHours) ? 'warn' : 'pass'
      const age =
        ageHours === null ? `nothing landed since ${since}` : `${rule.field} is ${ageHours.toFixed(1)} h old`
      results.push({ source: source.id, status, latest, ageHours, message: age, seconds: seconds() })
    } catch (error) {
      results.push({
        source: source.id,
        status: 'error',
        latest: null,
        ageHours: null,
        message: oneLine(error),
        seconds: seconds(),
      })
    }
  }
  return results
}
