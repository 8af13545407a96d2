import { salesforceSourcePull } from '../../sources/salesforce/pull-salesforce.js'
import { pullHandler } from '../pull-common/pull-handler.js'

/** Pulls Salesforce into the raw bucket on its EventBridge Scheduler schedule (see pull-common). */
export const handler = pullHandler(salesforceSourcePull)
