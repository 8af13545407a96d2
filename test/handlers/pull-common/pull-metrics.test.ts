import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { INGEST_METRICS, OPS_NAMESPACE, SOURCE_DIMENSION } from '../../../core/config/ops-metrics.js'
import { emfLine } from '../../../handlers/pull-common/emf.js'
import { PullFailedError, pullHandler } from '../../../handlers/pull-common/pull-handler.js'
import { pullMetrics, watermarkLagSeconds } from '../../../handlers/pull-common/pull-metrics.js'
import type { PullSummary } from '../../../sources/landing/pull-report.js'

const NOW = new Date('2025-06-01T12:00:00.000Z')

function summary(over: Partial<PullSummary> = {}): PullSummary {
  return {
    source: 'stripe',
    lake: 's3://raw/',
    run_id: 'r1',
    started_at: NOW.toISOString(),
    finished_at: NOW.toISOString(),
    status: 'complete',
    error: null,
    totals: { landed: 7, duplicate: 2, quarantined: 1 },
    entities: [
      {
        entity: 'customers',
        landed: 5,
        duplicate: 2,
        quarantined: 1,
        watermark_before: null,
        watermark_after: '2025-06-01T11:58:00.000Z',
      },
      {
        entity: 'invoices',
        landed: 2,
        duplicate: 0,
        quarantined: 0,
        watermark_before: null,
        watermark_after: '2025-06-01T11:00:00.000Z',
      },
      {
        entity: 'events',
        landed: 0,
        duplicate: 0,
        quarantined: 0,
        watermark_before: null,
        watermark_after: null,
      },
    ],
    feeds: [],
    quarantine: [],
    requests: { calls: 3, retries: 0, rate_limited: 0, waited_ms: 0 },
    notes: [],
    ...over,
  }
}

/** The metric values an EMF line carries, checked against its own declaration. */
function metricsOf(line: string): Record<string, number> {
  const record = JSON.parse(line) as Record<string, unknown> & {
    _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] }
  }
  const [directive] = record._aws.CloudWatchMetrics
  if (!directive) throw new Error('no metric directive')
  expect(directive.Namespace).toBe(OPS_NAMESPACE)
  for (const dimension of directive.Dimensions.flat()) expect(typeof record[dimension]).toBe('string')
  return Object.fromEntries(directive.Metrics.map((m) => [m.Name, record[m.Name] as number]))
}

describe('pull metrics', () => {
  it('report the counts, failure and the stalest watermark age in seconds', () => {
    expect(watermarkLagSeconds(summary(), NOW)).toBe(3600)
    expect(pullMetrics(summary(), NOW)).toEqual([
      { name: INGEST_METRICS.landed, value: 7, unit: 'Count' },
      { name: INGEST_METRICS.duplicate, value: 2, unit: 'Count' },
      { name: INGEST_METRICS.quarantined, value: 1, unit: 'Count' },
      { name: INGEST_METRICS.pullFailed, value: 0, unit: 'Count' },
      { name: INGEST_METRICS.watermarkLag, value: 3600, unit: 'Seconds' },
    ])
  })

  it('write no lag before any watermark exists, so the alarm sees silence, not a good number', () => {
    const none = summary({
      status: 'failed',
      entities: summary().entities.map((e) => ({ ...e, watermark_after: null })),
    })
    expect(watermarkLagSeconds(none, NOW)).toBeUndefined()
    expect(pullMetrics(none, NOW).map((m) => [m.name, m.value])).toEqual([
      [INGEST_METRICS.landed, 7],
      [INGEST_METRICS.duplicate, 2],
      [INGEST_METRICS.quarantined, 1],
      [INGEST_METRICS.pullFailed, 1],
    ])
  })
})

describe('emfLine', () => {
  it('is one JSON line of CloudWatch Embedded Metric Format with the dimension and values at the root', () => {
    const line = emfLine({ [SOURCE_DIMENSION]: 'hubspot' }, pullMetrics(summary(), NOW), NOW)
    expect(line).not.toContain('\n')
    const record = JSON.parse(line)
    expect(record._aws).toEqual({
      Timestamp: NOW.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: 'revops',
          Dimensions: [['Source']],
          Metrics: [
            { Name: 'Landed', Unit: 'Count' },
            { Name: 'Duplicate', Unit: 'Count' },
            { Name: 'Quarantined', Unit: 'Count' },
            { Name: 'PullFailed', Unit: 'Count' },
            { Name: 'WatermarkLagSeconds', Unit: 'Seconds' },
          ],
        },
      ],
    })
    expect(metricsOf(line)).toEqual({
      Landed: 7,
      Duplicate: 2,
      Quarantined: 1,
      PullFailed: 0,
      WatermarkLagSeconds: 3600,
    })
    expect(record.Source).toBe('hubspot')
  })

  it('leaves out a value that is not a finite number', () => {
    const line = emfLine({ Source: 'ads' }, [
      { name: 'Landed', value: Number.NaN, unit: 'Count' },
      { name: 'Quarantined', value: 0, unit: 'Count' },
    ])
    expect(metricsOf(line)).toEqual({ Quarantined: 0 })
    expect(JSON.parse(line)).not.toHaveProperty('Landed')
  })
})

describe('the pull handler', () => {
  const saved = { ...process.env }
  let logged: string[]
  beforeEach(() => {
    logged = []
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
      logged.push(String(line))
    })
    Object.assign(process.env, { RAW_BUCKET: 'raw', AWS_REGION: 'us-east-1' })
  })
  afterEach(() => {
    vi.restoreAllMocks()
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    Object.assign(process.env, saved)
  })
  const context = { getRemainingTimeInMillis: () => 600_000 }
  const emf = () => logged.filter((line) => line.includes('"_aws"'))

  // A source whose pull reads nothing (no vendor, no lake call): what is tested is the logging.
  it('logs its run as metrics under the source, after the summary line', async () => {
    const handler = pullHandler({ source: 'salesforce', pull: async () => {} })
    await handler({}, context)
    expect(emf()).toHaveLength(1)
    expect(JSON.parse(emf()[0] as string)[SOURCE_DIMENSION]).toBe('salesforce')
    expect(metricsOf(emf()[0] as string)).toEqual({ Landed: 0, Duplicate: 0, Quarantined: 0, PullFailed: 0 })
    expect(logged.indexOf(emf()[0] as string)).toBe(1)
  })

  it('logs a failed pull as PullFailed 1 before it throws', async () => {
    const handler = pullHandler({
      source: 'hubspot',
      pull: async (run) => run.fail(new Error('token rejected')),
    })
    await expect(handler({}, context)).rejects.toBeInstanceOf(PullFailedError)
    expect(metricsOf(emf()[0] as string)).toMatchObject({ PullFailed: 1 })
  })
})
