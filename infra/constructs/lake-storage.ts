import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import type { IKey } from 'aws-cdk-lib/aws-kms'
import { StorageClass } from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import { QUARANTINE_PREFIX, RAW_PREFIX } from '../../core/lake/layout.js'
import { AccessLogsBucket } from './access-logs-bucket.js'
import { LakeBucket } from './lake-bucket.js'
import { LakeKey } from './lake-key.js'
import type { LakeStorageProps } from './lake-storage-props.js'

/**
 * The storage layer: one customer-managed key and five buckets.
 *
 * - landing: file drops (finance inputs, manual exports); versioned; emits EventBridge events so
 *   a drop can start a land run.
 * - raw: the lake of core/lake/layout.ts (`raw/`, `quarantine/`, `state/`); versioned, so an
 *   accidental overwrite or delete is recoverable. Raw may move to Intelligent-Tiering but never
 *   to a Glacier class or an archive tier: Athena silently skips objects it cannot read in real
 *   time, and replays and backfills read all of raw.
 * - warehouse: Iceberg data and metadata written by Athena; not versioned, so VACUUM really
 *   deletes expired files (Iceberg snapshots are the history).
 * - athena-results: query results, expired after a few days.
 * - access-logs: server access logs of the four buckets above.
 */
export class LakeStorage extends Construct {
  readonly key: IKey
  readonly accessLogs: AccessLogsBucket
  readonly landing: LakeBucket
  readonly raw: LakeBucket
  readonly warehouse: LakeBucket
  readonly athenaResults: LakeBucket

  constructor(scope: Construct, id: string, props: LakeStorageProps) {
    super(scope, id)
    const retention = props.retention
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN
    const abortIncompleteUploadDays = retention.abortIncompleteUploadDays
    const noncurrent = {
      id: 'expire-noncurrent-versions',
      noncurrentVersionExpiration: Duration.days(retention.noncurrentVersionDays),
    }
    // Once every version of a key has expired, only a delete marker is left; remove it too.
    const deleteMarkers = { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true }

    this.key = new LakeKey(this, 'Key', { alias: props.keyAlias, removalPolicy }).key
    this.accessLogs = new AccessLogsBucket(this, 'AccessLogs', {
      bucketName: props.bucketName('access-logs'),
      expirationDays: retention.accessLogsDays,
      abortIncompleteUploadDays,
      removalPolicy,
    })
    const common = {
      encryptionKey: this.key,
      accessLogsBucket: this.accessLogs,
      abortIncompleteUploadDays,
      removalPolicy,
    }

    this.landing = new LakeBucket(this, 'Landing', {
      ...common,
      bucketName: props.bucketName('landing'),
      accessLogsPrefix: 'landing/',
      versioned: true,
      eventBridgeEnabled: true,
      lifecycleRules: [noncurrent, deleteMarkers],
    })
    this.raw = new LakeBucket(this, 'Raw', {
      ...common,
      bucketName: props.bucketName('raw'),
      accessLogsPrefix: 'raw/',
      versioned: true,
      lifecycleRules: [
        noncurrent,
        deleteMarkers,
        {
          id: 'expire-quarantine',
          prefix: QUARANTINE_PREFIX,
          expiration: Duration.days(retention.quarantineDays),
        },
        {
          id: 'raw-to-intelligent-tiering',
          prefix: RAW_PREFIX,
          transitions: [
            {
              storageClass: StorageClass.INTELLIGENT_TIERING,
              transitionAfter: Duration.days(retention.rawIntelligentTieringDays),
            },
          ],
        },
      ],
    })
    this.warehouse = new LakeBucket(this, 'Warehouse', {
      ...common,
      bucketName: props.bucketName('warehouse'),
      accessLogsPrefix: 'warehouse/',
    })
    this.athenaResults = new LakeBucket(this, 'AthenaResults', {
      ...common,
      bucketName: props.bucketName('athena-results'),
      accessLogsPrefix: 'athena-results/',
      lifecycleRules: [{ id: 'expire-results', expiration: Duration.days(retention.athenaResultsDays) }],
    })
  }
}
