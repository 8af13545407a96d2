import { OPS_NAMESPACE } from '../../core/config/ops-metrics.js'

export type EmfUnit = 'Count' | 'Seconds' | 'Bytes'

export interface EmfMetric {
  readonly name: string
  readonly value: number
  readonly unit: EmfUnit
}

/**
 * One log line in CloudWatch Embedded Metric Format: CloudWatch Logs turns it into metrics of the
 * `revops` namespace, with no `PutMetricData` call (so no extra permission and no extra latency).
 * Metrics with a non-finite value are left out rather than written as a false number.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export function emfLine(
  dimensions: Readonly<Record<string, string>>,
  metrics: readonly EmfMetric[],
  at: Date = new Date(),
): string {
  const kept = metrics.filter((m) => Number.isFinite(m.value))
  return JSON.stringify({
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: OPS_NAMESPACE,
          Dimensions: [Object.keys(dimensions)],
          Metrics: kept.map((m) => ({ Name: m.name, Unit: m.unit })),
        },
      ],
    },
    ...dimensions,
    ...Object.fromEntries(kept.map((m) => [m.name, m.value])),
  })
}
