import type { Model } from '../framework/index.js'
import { billingModels } from './billing.js'
import { crmModels } from './crm.js'

/**
 * The project's models, for `revops build`, `revops test` and `revops compile`, under the active
 * revenue policy. Marts are enough: every model they read through `inputs` is built too, in DAG order.
 */
export const models: readonly Model[] = [...billingModels, ...crmModels]
