import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { financeSources } from '../../sources/finance.js'
import { payloadReader } from '../envelope/payload-reader.js'
import { rankedVersions } from '../envelope/versions.js'

/** The governed CRM account ↔ billing customer map (finance's `account_map.csv`). */
export const stgFinanceAccountMap = defineModel({
  name: 'stg_finance__account_map',
  layer: 'staging',
  materialized: 'view',
  description: 'CRM account to Stripe customer pairs, as finance keeps them.',
  inputs: { raw: financeSources.accountMap },
  columns: z.object({ crm_account_id: z.string(), billing_customer_id: z.string() }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(rankedVersions(db).as('v'))
      .select((eb) => {
        const p = payloadReader(dialect, eb.ref('v.payload'))
        return [
          p.text('crm_account_id').$notNull().as('crm_account_id'),
          p.text('billing_customer_id').$notNull().as('billing_customer_id'),
        ]
      })
      .where('v.live_rank', '=', 1)
      .where('v.is_deleted', '=', false),
  tests: (t) => [t.unique(['crm_account_id', 'billing_customer_id'])],
})
