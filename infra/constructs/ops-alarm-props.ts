import type { IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch'
import type { ITopic } from 'aws-cdk-lib/aws-sns'

export interface OpsAlarmProps {
  /** Physical alarm name, e.g. `revops-pull-stripe-errors`. */
  readonly alarmName: string
  /** What it means and what to do: the first line a person reads in the notification. */
  readonly description: string
  readonly metric: IMetric
  /** The alarm fires when the metric is above this. @default 0 */
  readonly threshold?: number
  /** @default TreatMissingData.NOT_BREACHING */
  readonly treatMissingData?: TreatMissingData
  /** Notified on ALARM and on OK. */
  readonly topic: ITopic
}
