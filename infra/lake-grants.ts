import { Stack } from 'aws-cdk-lib'
import type { IRole } from 'aws-cdk-lib/aws-iam'
import type { IKey } from 'aws-cdk-lib/aws-kms'
import {
  LANDED_PREFIX,
  PULL_STATE_PREFIX,
  QUARANTINE_PREFIX,
  RAW_PREFIX,
  STATE_PREFIX,
} from '../core/lake/layout.js'
import type { LakeArns } from './lake-arns.js'
import type { BucketPurpose } from './resource-names.js'
import { allow } from './scoped-policy.js'

/**
 * The grants the functions are built from, each as narrow as its job: named buckets and key
 * prefixes, named Glue databases, one workgroup. No CDK `grant*` helper is used for the lake:
 * they add action wildcards (`s3:Abort*`, `kms:GenerateDataKey*`) and whole-bucket access.
 */

/** The lake keys one source writes when it lands: its raw and quarantine objects and their first-landing markers. */
export function landingPrefixes(source: string): string[] {
  return [
    `${RAW_PREFIX}source=${source}/`,
    `${QUARANTINE_PREFIX}source=${source}/`,
    `${LANDED_PREFIX}${RAW_PREFIX}source=${source}/`,
    `${LANDED_PREFIX}${QUARANTINE_PREFIX}source=${source}/`,
  ]
}

/** What a pull keeps besides: the source's watermarks and its feeds' open windows (conditional writes). */
export function pullStatePrefixes(source: string): string[] {
  return [`${STATE_PREFIX}${source}/`, `${PULL_STATE_PREFIX}${source}/`]
}

/** The lake key, used only through S3 (SSE-KMS with a Bucket Key): decrypt to read, data keys to write. */
export function grantLakeKey(role: IRole, key: IKey, use: 'read' | 'read-write'): void {
  allow(role, {
    actions: use === 'read' ? ['kms:Decrypt'] : ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(role).region}.amazonaws.com` } },
  })
}

/** Objects under key prefixes of one bucket. */
export function grantObjects(
  role: IRole,
  arns: LakeArns,
  purpose: BucketPurpose,
  prefixes: readonly string[],
  actions: readonly string[],
  reason: string,
): void {
  allow(role, {
    actions,
    resources: prefixes.map((prefix) => arns.objects(purpose, prefix)),
    wildcardReason: reason,
  })
}

/**
 * Listing a bucket. With key prefixes, only listings under them. Without, any listing: S3 answers
 * a GET of a missing key with 404 only to callers that may list the bucket (403 otherwise), and
 * the lake store reads "missing" (no watermark yet, not landed yet) from that 404. A listing
 * request carries no `s3:prefix` then, so a prefix condition would turn every 404 into a 403.
 */
export function grantList(
  role: IRole,
  arns: LakeArns,
  purpose: BucketPurpose,
  prefixes?: readonly string[],
): void {
  allow(role, { actions: ['s3:GetBucketLocation'], resources: [arns.bucket(purpose)] })
  allow(role, {
    actions: ['s3:ListBucket'],
    resources: [arns.bucket(purpose)],
    ...(prefixes ? { conditions: { StringLike: { 's3:prefix': prefixes.map((p) => `${p}*`) } } } : {}),
  })
}

/**
 * Running queries in one workgroup. Athena writes the results with the caller's credentials to
 * the workgroup's own prefix of the results bucket (athena-workgroup.ts), encrypted with the lake key.
 */
export function grantAthenaQueries(role: IRole, arns: LakeArns, workgroup: string): void {
  allow(role, {
    actions: [
      'athena:StartQueryExecution',
      'athena:GetQueryExecution',
      'athena:GetQueryResults',
      'athena:StopQueryExecution',
      'athena:GetWorkGroup',
    ],
    resources: [arns.workgroup(workgroup)],
  })
  grantObjects(
    role,
    arns,
    'athena-results',
    [`${workgroup}/`],
    ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
    `Query result objects are named by Athena at run time; only the ${workgroup} workgroup's prefix.`,
  )
  grantList(role, arns, 'athena-results', [`${workgroup}/`])
}

const GLUE_READ = [
  'glue:GetDatabase',
  'glue:GetDatabases',
  'glue:GetTable',
  'glue:GetTables',
  'glue:GetPartition',
  'glue:GetPartitions',
  'glue:BatchGetPartition',
]

const GLUE_WRITE = ['glue:CreateTable', 'glue:UpdateTable', 'glue:DeleteTable', 'glue:BatchDeleteTable']

/**
 * The Glue catalog as Athena uses it with the caller's credentials: read the named databases and
 * their tables; create, replace (Iceberg commits, `CREATE OR REPLACE VIEW`) and drop tables in
 * the writable ones. Athena checks the `default` database of the catalog on every query.
 * `CREATE SCHEMA IF NOT EXISTS` asks for CreateDatabase, allowed only on the writable databases,
 * which the catalog stack has created already.
 */
export function grantGlue(
  role: IRole,
  arns: LakeArns,
  databases: { readonly read: readonly string[]; readonly write?: readonly string[] },
): void {
  const write = databases.write ?? []
  const all = [...new Set([...databases.read, ...write])]
  allow(role, {
    actions: GLUE_READ,
    resources: [
      arns.glueCatalog(),
      arns.glueDatabase('default'),
      ...all.map((db) => arns.glueDatabase(db)),
      ...all.map((db) => arns.glueTables(db)),
    ],
    wildcardReason:
      'Tables of the named databases only; builds create them at run time under fingerprint names.',
  })
  if (write.length === 0) return
  allow(role, {
    actions: [...GLUE_WRITE, 'glue:CreateDatabase'],
    resources: [
      arns.glueCatalog(),
      ...write.map((db) => arns.glueDatabase(db)),
      ...write.map((db) => arns.glueTables(db)),
    ],
    wildcardReason:
      'Tables of the named databases only; builds create them at run time under fingerprint names.',
  })
}
