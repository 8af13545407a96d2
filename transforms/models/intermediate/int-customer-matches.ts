import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../framework/index.js'
import { companyDomain } from '../rules/free-email-domains.js'
import { stgFinanceAccountMap } from '../staging/finance/stg-finance-account-map.js'
import { stgStripeCustomers } from '../staging/stripe/stg-stripe-customers.js'
import { customerMatchUnitTests } from './identity.unit-tests.js'
import { intBillingCustomerCrmIds } from './int-billing-customer-crm-ids.js'
import { intCrmAccounts } from './int-crm-accounts.js'

export const MATCH_METHODS = [
  'account_map',
  'crm_id',
  'domain',
  'unmatched_billing',
  'unmatched_crm',
] as const

/**
 * The CRM company of every billing customer, by the first rule that finds one: finance's
 * `account_map.csv` (governed, so it wins even over a deleted account), then the CRM id the billing
 * customer names (Stripe metadata), then its email domain equal to a live account's website domain
 * (mailbox providers never match). An account stands for its company (int_crm_accounts), so a
 * company entered twice in the CRM still yields one match. Among several candidates of one rule,
 * the company created first wins. Billing customers without a match are `unmatched_billing`.
 */
export const intCustomerMatches = defineModel({
  name: 'int_customer_matches',
  layer: 'intermediate',
  materialized: 'table',
  description: 'Each billing customer with its CRM company (primary account) and how it was matched.',
  inputs: {
    customers: stgStripeCustomers,
    map: stgFinanceAccountMap,
    ids: intBillingCustomerCrmIds,
    accounts: intCrmAccounts,
  },
  columns: z.object({
    billing_customer_id: z.string(),
    crm_account_id: z.string().nullable(),
    match_method: z.enum(MATCH_METHODS),
  }),
  query: ({ db }) => {
    const fromMap = db
      .selectFrom('map')
      .leftJoin('accounts', 'accounts.account_id', 'map.crm_account_id')
      .select((eb) => [
        'map.billing_customer_id',
        eb.fn.coalesce('accounts.company_account_id', 'map.crm_account_id').as('crm_account_id'),
        sql<number>`1`.as('priority'),
        sql<string>`'account_map'`.as('match_method'),
      ])
    const fromIds = db
      .selectFrom('ids')
      .innerJoin('accounts', 'accounts.account_id', 'ids.crm_account_id')
      .where('accounts.company_account_id', 'is not', null)
      .select([
        'ids.billing_customer_id',
        sql<string>`${sql.ref('accounts.company_account_id')}`.as('crm_account_id'),
        sql<number>`2`.as('priority'),
        sql<string>`'crm_id'`.as('match_method'),
      ])
    const fromDomain = db
      .selectFrom('customers')
      .innerJoin('accounts', (j) =>
        j.on(
          sql<boolean>`${sql.ref('accounts.domain')} = ${companyDomain(sql.ref('customers.email_domain'))}`,
        ),
      )
      .where('accounts.is_deleted', '=', false)
      .where('accounts.company_account_id', 'is not', null)
      .select([
        'customers.customer_id as billing_customer_id',
        sql<string>`${sql.ref('accounts.company_account_id')}`.as('crm_account_id'),
        sql<number>`3`.as('priority'),
        sql<string>`'domain'`.as('match_method'),
      ])
    return db
      .with('candidates', () => fromMap.unionAll(fromIds).unionAll(fromDomain))
      .with('ranked', (qb) =>
        qb
          .selectFrom('candidates as c')
          .leftJoin('accounts as company', 'company.account_id', 'c.crm_account_id')
          .select([
            'c.billing_customer_id',
            'c.crm_account_id',
            'c.match_method',
            sql<number>`row_number() OVER (PARTITION BY ${sql.ref('c.billing_customer_id')} ORDER BY ${sql.ref('c.priority')}, ${sql.ref('company.created_at')} NULLS LAST, ${sql.ref('c.crm_account_id')})`.as(
              'rank',
            ),
          ]),
      )
      .selectFrom('customers')
      .leftJoin('ranked', (j) =>
        j.onRef('ranked.billing_customer_id', '=', 'customers.customer_id').on('ranked.rank', '=', 1),
      )
      .select((eb) => [
        'customers.customer_id as billing_customer_id',
        'ranked.crm_account_id',
        sql<
          (typeof MATCH_METHODS)[number]
        >`coalesce(${eb.ref('ranked.match_method')}, 'unmatched_billing')`.as('match_method'),
      ])
  },
  unitTests: customerMatchUnitTests,
  tests: (t) => [
    t.unique('billing_customer_id'),
    t.acceptedValues('match_method', ['account_map', 'crm_id', 'domain', 'unmatched_billing']),
  ],
})
