import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../framework/index.js'
import { perPolicy } from '../per-policy.js'
import { policyLabel } from '../revenue-policy.js'

/**
 * The revenue policy the billing models were built with, as a one-row table: the warehouse and
 * the build artifacts (this model's SQL in the manifest) both say which policy made the numbers.
 */
export const intRevenuePolicy = perPolicy((policy) =>
  defineModel({
    name: 'int_revenue_policy',
    layer: 'intermediate',
    materialized: 'table',
    description: `The active revenue policy: ${policyLabel(policy)}.`,
    inputs: {},
    columns: z.object({
      /** e.g. `mrr-policy v1`, as the semantic metrics cite it. */
      policy: z.string(),
      name: z.string(),
      version: z.int(),
      reporting_currency: z.string(),
      /** The options as JSON. */
      options: z.string(),
    }),
    query: ({ db }) =>
      db.selectNoFrom([
        sql<string>`${policyLabel(policy)}`.as('policy'),
        sql<string>`${policy.name}`.as('name'),
        sql<number>`${policy.version}`.as('version'),
        sql<string>`${policy.options.reportingCurrency}`.as('reporting_currency'),
        sql<string>`${JSON.stringify(policy.options)}`.as('options'),
      ]),
    tests: (t) => [t.rowCount({ min: 1, max: 1 })],
  }),
)
