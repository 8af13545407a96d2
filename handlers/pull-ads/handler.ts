import { adsSourcePull } from '../../sources/ads/pull-ads.js'
import { pullHandler } from '../pull-common/pull-handler.js'

/** Pulls Google Ads, Meta and LinkedIn into the raw bucket on its EventBridge Scheduler schedule (see pull-common). */
export const handler = pullHandler(adsSourcePull)
