import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../framework/index.js'
import { stgStripeCustomers } from '../staging/stripe/stg-stripe-customers.js'
import { intCrmAccounts } from './int-crm-accounts.js'
import { intCustomerMatches } from './int-customer-matches.js'

/**
 * The governed customer of every CRM account, duplicates and merged accounts included: the
 * billing customer matched to the account's company (the one created first, should finance map
 * several to it), else the company's own unmatched customer `crm:<primary account id>`. Deleted
 * accounts without a survivor have none. Opportunities and people reach customers through this.
 */
export const intCrmAccountCustomers = defineModel({
  name: 'int_crm_account_customers',
  layer: 'intermediate',
  materialized: 'table',
  description: 'CRM account → governed customer_id (dim_customer), for every account.',
  inputs: { accounts: intCrmAccounts, matches: intCustomerMatches, customers: stgStripeCustomers },
  columns: z.object({
    account_id: z.string(),
    company_account_id: z.string().nullable(),
    customer_id: z.string().nullable(),
  }),
  query: ({ db }) =>
    db
      .with('company_customers', (qb) =>
        qb
          .selectFrom('matches')
          .innerJoin('customers', 'customers.customer_id', 'matches.billing_customer_id')
          .where('matches.crm_account_id', 'is not', null)
          .select([
            'matches.crm_account_id',
            'matches.billing_customer_id',
            sql<number>`row_number() OVER (PARTITION BY ${sql.ref('matches.crm_account_id')} ORDER BY ${sql.ref('customers.created_at')} NULLS LAST, ${sql.ref('matches.billing_customer_id')})`.as(
              'rank',
            ),
          ]),
      )
      .selectFrom('accounts')
      .leftJoin('company_customers as cc', (j) =>
        j.onRef('cc.crm_account_id', '=', 'accounts.company_account_id').on('cc.rank', '=', 1),
      )
      .select((eb) => [
        'accounts.account_id',
        'accounts.company_account_id',
        eb.fn
          .coalesce(
            'cc.billing_customer_id',
            sql<string | null>`'crm:' || ${eb.ref('accounts.company_account_id')}`,
          )
          .as('customer_id'),
      ]),
  tests: (t) => [t.unique('account_id')],
})
