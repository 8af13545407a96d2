import { hubspotSourcePull } from '../../sources/hubspot/pull-hubspot.js'
import { pullHandler } from '../pull-common/pull-handler.js'

/** Pulls HubSpot into the raw bucket on its EventBridge Scheduler schedule (see pull-common). */
export const handler = pullHandler(hubspotSourcePull)
