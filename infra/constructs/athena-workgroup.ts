import { Stack } from 'aws-cdk-lib'
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena'
import { Construct } from 'constructs'
import type { AthenaWorkgroupProps } from './athena-workgroup-props.js'

export const ATHENA_ENGINE_VERSION = 'Athena engine version 3'

/**
 * An Athena workgroup whose settings override the client's: engine version 3, results in the
 * results bucket encrypted with the lake key, a per-query scan cutoff, and CloudWatch query
 * metrics (off by default for workgroups created through the API) for alarms on scanned bytes.
 */
export class AthenaWorkgroup extends Construct {
  readonly workgroup: CfnWorkGroup
  readonly name: string
  /** `s3://<results bucket>/<name>/` */
  readonly outputLocation: string
  /** See the prop of the same name. */
  readonly resultReuseMaxAgeMinutes: number | undefined

  constructor(scope: Construct, id: string, props: AthenaWorkgroupProps) {
    super(scope, id)
    this.name = props.name
    this.outputLocation = `s3://${props.resultsBucket.bucketName}/${props.name}/`
    this.resultReuseMaxAgeMinutes = props.resultReuseMaxAgeMinutes
    this.workgroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: props.name,
      description: props.description,
      state: 'ENABLED',
      recursiveDeleteOption: props.recursiveDelete ?? false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        publishCloudWatchMetricsEnabled: true,
        requesterPaysEnabled: false,
        resultConfiguration: {
          outputLocation: this.outputLocation,
          expectedBucketOwner: Stack.of(this).account,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.encryptionKey.keyArn },
        },
      },
    })
  }
}
