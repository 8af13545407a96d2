import type { StackProps } from 'aws-cdk-lib'
import type { RevopsConfig } from '../config-schema.js'
import type { ResourceNames } from '../resource-names.js'

export interface AlertsStackProps extends StackProps {
  readonly config: RevopsConfig
  readonly names: ResourceNames
}
