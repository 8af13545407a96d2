import { stripeSourcePull } from '../../sources/stripe/pull-stripe.js'
import { pullHandler } from '../pull-common/pull-handler.js'

/** Pulls Stripe into the raw bucket on its EventBridge Scheduler schedule (see pull-common). */
export const handler = pullHandler(stripeSourcePull)
