import { CfnOutput, Stack } from 'aws-cdk-lib'
import type { Construct } from 'constructs'
import { AthenaWorkgroup } from '../constructs/athena-workgroup.js'
import type { QueryStackProps } from './query-stack-props.js'

/**
 * The Athena workgroups: `etl` for builds, `bi` for dashboards and the metric API (with result
 * reuse, set per query), `adhoc` for people exploring. Each has its own scan cutoff, so a
 * runaway exploration cannot cost what a build may.
 */
export class QueryStack extends Stack {
  readonly etl: AthenaWorkgroup
  readonly bi: AthenaWorkgroup
  readonly adhoc: AthenaWorkgroup

  constructor(scope: Construct, id: string, props: QueryStackProps) {
    super(scope, id, props)
    const { config, names } = props
    const common = {
      resultsBucket: props.resultsBucket,
      encryptionKey: props.encryptionKey,
      recursiveDelete: config.removalPolicy === 'destroy',
    }
    this.etl = new AthenaWorkgroup(this, 'Etl', {
      ...common,
      name: names.workgroup('etl'),
      description: 'Transform builds (revops build): CTAS, MERGE, OPTIMIZE, VACUUM.',
      bytesScannedCutoffPerQuery: config.workgroups.etl.bytesScannedCutoffPerQuery,
    })
    this.bi = new AthenaWorkgroup(this, 'Bi', {
      ...common,
      name: names.workgroup('bi'),
      description: 'BI tools and the metric API, reading marts and metric views.',
      bytesScannedCutoffPerQuery: config.workgroups.bi.bytesScannedCutoffPerQuery,
      resultReuseMaxAgeMinutes: config.workgroups.bi.resultReuseMaxAgeMinutes,
    })
    this.adhoc = new AthenaWorkgroup(this, 'Adhoc', {
      ...common,
      name: names.workgroup('adhoc'),
      description: 'People exploring the lake and the warehouse.',
      bytesScannedCutoffPerQuery: config.workgroups.adhoc.bytesScannedCutoffPerQuery,
    })
    for (const workgroup of [this.etl, this.bi, this.adhoc]) {
      new CfnOutput(this, `${workgroup.node.id}WorkGroup`, { value: workgroup.name })
    }
  }
}
