import type { Model } from '../framework/index.js'

/**
 * The project's models, for `revops build`, `revops test` and `revops compile`. List the models
 * to build (marts are enough: every model they read through `inputs` is built too, in DAG order).
 */
export const models: readonly Model[] = []
