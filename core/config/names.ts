/**
 * Schema (DuckDB) / Glue database (Athena) names, shared by transforms, the semantic layer and
 * the CDK app so that all three agree. On AWS every name carries a prefix (default `revops_`)
 * because Glue database names are shared by everything in an account and region.
 */

/** Model layers; each environment exposes one schema per layer. */
export const LAYERS = ['staging', 'intermediate', 'marts'] as const
export type Layer = (typeof LAYERS)[number]

/** Landed envelopes, one table per source entity (`raw.stripe__invoices`). */
export const RAW_SCHEMA = 'raw'
/** Built tables named by fingerprint; environments are views over them. */
export const PHYSICAL_SCHEMA = 'physical'
/** Governed metric views for BI tools. */
export const METRICS_SCHEMA = 'metrics'

export const PROD_ENVIRONMENT = 'prod'
const ENVIRONMENT = /^(prod|dev_[a-z0-9_]{1,40})$/

export function checkEnvironment(environment: string): string {
  if (!ENVIRONMENT.test(environment)) {
    throw new Error(
      `environment must be "prod" or "dev_<name>" in lower_snake_case: ${JSON.stringify(environment)}`,
    )
  }
  return environment
}

/** `staging` in prod, `dev_alice_staging` in the environment `dev_alice`. */
export function layerSchema(environment: string, layer: Layer): string {
  checkEnvironment(environment)
  return environment === PROD_ENVIRONMENT ? layer : `${environment}_${layer}`
}

/** `stripe__invoices`: the raw table of one source entity. */
export function rawTableName(source: string, entity: string): string {
  return `${source}__${entity}`
}

/** The Glue database of a schema on AWS (`revops_marts`). */
export function glueDatabaseName(schema: string, prefix = 'revops_'): string {
  return `${prefix}${schema}`
}
