/**
 * The custom CloudWatch metrics the Lambda handlers emit (CloudWatch Embedded Metric Format in
 * their log lines) and the CDK app alarms on. One list, so an alarm can never watch a metric
 * under a name no handler writes.
 */

/** The CloudWatch namespace of every custom metric. */
export const OPS_NAMESPACE = 'revops'

/** The dimension every ingestion metric carries: the source (`stripe`, `finance`, ...). */
export const SOURCE_DIMENSION = 'Source'

export const INGEST_METRICS = {
  /** Records written to raw/ by one pull or file drop (Count). */
  landed: 'Landed',
  /** Records already in raw/ (Count). */
  duplicate: 'Duplicate',
  /** Records that failed their contract and went to quarantine/ (Count). */
  quarantined: 'Quarantined',
  /** Age of the stalest entity's watermark after a pull (Seconds): how far behind the lake is. */
  watermarkLag: 'WatermarkLagSeconds',
  /** 1 when a pull stopped on an error, else 0 (Count). */
  pullFailed: 'PullFailed',
} as const

/** The dimension of build metrics: the environment built (`prod`). */
export const ENVIRONMENT_DIMENSION = 'Environment'

export const BUILD_METRICS = {
  /** Models that ended a build in error, test failure or skipped (Count). */
  modelsFailed: 'ModelsFailed',
  /** Bytes Athena scanned for a whole build, tests included (Bytes). */
  bytesScanned: 'BuildBytesScanned',
} as const
