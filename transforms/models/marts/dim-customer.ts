import { sql } from 'kysely'
import { defineModel } from '../../framework/index.js'
import { appearsOnce, coversKeysOf } from '../checks/custom-tests.js'
import { intCrmAccountCustomers } from '../intermediate/int-crm-account-customers.js'
import { intCrmAccounts } from '../intermediate/int-crm-accounts.js'
import { intCustomerMatches, MATCH_METHODS } from '../intermediate/int-customer-matches.js'
import { intPeople } from '../intermediate/int-people.js'
import { perPolicy } from '../per-policy.js'
import { ACQUISITION_CHANNELS, acquisitionChannel } from '../rules/channels.js'
import { companyDomain } from '../rules/free-email-domains.js'
import { REGIONS, regionOf } from '../rules/regions.js'
import { SEGMENTS, segmentOf } from '../rules/segments.js'
import { stgStripeCustomers } from '../staging/stripe/stg-stripe-customers.js'
import { DimCustomer } from './contracts.js'
import { dimOwner } from './dim-owner.js'
import { fctCustomerMrrMonth } from './fct-customer-mrr-month.js'
import { fctOpportunity } from './fct-opportunity.js'

/**
 * The governed customer. Grain: the billing customer — every one exactly once, matched or not —
 * plus one row per CRM company no billing customer matched (`crm:<primary account id>`), so
 * nothing is dropped. Matching is int_customer_matches (account map, CRM id, domain); a company
 * entered twice in the CRM is one company (int_crm_accounts), so it never doubles a customer.
 * Segment, region, industry and owner come from the CRM account (region falls back to the billing
 * country); the acquisition channel is the sourcing channel of the customer's earliest person
 * (int_people: by the account, or by the billing email); the first paid month is the first month
 * with MRR under the revenue policy.
 */
export const dimCustomer = perPolicy((policy) =>
  defineModel({
    name: 'dim_customer',
    layer: 'marts',
    materialized: 'table',
    description:
      'The governed customer: each billing customer once with its CRM account (account map, CRM id, then domain), plus unmatched CRM companies.',
    inputs: {
      customers: stgStripeCustomers,
      matches: intCustomerMatches,
      accounts: intCrmAccounts,
      account_customers: intCrmAccountCustomers,
      people: intPeople,
      mrr: fctCustomerMrrMonth(policy),
    },
    columns: DimCustomer,
    query: ({ db }) =>
      db
        .with('rows', (qb) =>
          qb
            .selectFrom('customers')
            .innerJoin('matches', 'matches.billing_customer_id', 'customers.customer_id')
            .leftJoin('accounts', 'accounts.account_id', 'matches.crm_account_id')
            .select((eb) => [
              'customers.customer_id',
              eb.ref('customers.customer_id').$castTo<string | null>().as('billing_customer_id'),
              'matches.crm_account_id',
              eb.fn.coalesce('accounts.account_name', 'customers.name').as('name'),
              eb.fn.coalesce('accounts.domain', companyDomain(eb.ref('customers.email_domain'))).as('domain'),
              'accounts.number_of_employees',
              eb.fn.coalesce('accounts.country', 'customers.country').as('country'),
              'accounts.industry',
              'accounts.owner_id',
              'customers.currency',
              sql<string>`${eb.ref('matches.match_method')}`.as('match_method'),
              'customers.email',
              'customers.created_at',
            ])
            .unionAll(
              qb
                .selectFrom('accounts')
                .leftJoin('matches', 'matches.crm_account_id', 'accounts.account_id')
                .whereRef('accounts.company_account_id', '=', 'accounts.account_id')
                .where('accounts.is_deleted', '=', false)
                .where('matches.billing_customer_id', 'is', null)
                .select((eb) => [
                  sql<string>`'crm:' || ${eb.ref('accounts.account_id')}`.as('customer_id'),
                  sql<string | null>`CAST(NULL AS VARCHAR)`.as('billing_customer_id'),
                  eb.ref('accounts.account_id').$castTo<string | null>().as('crm_account_id'),
                  'accounts.account_name as name',
                  'accounts.domain',
                  'accounts.number_of_employees',
                  'accounts.country',
                  'accounts.industry',
                  'accounts.owner_id',
                  sql<string | null>`CAST(NULL AS VARCHAR)`.as('currency'),
                  sql<string>`'unmatched_crm'`.as('match_method'),
                  sql<string | null>`CAST(NULL AS VARCHAR)`.as('email'),
                  'accounts.created_at',
                ]),
            ),
        )
        // The customer's people: through any account of its company, or by the billing email.
        .with('customer_people', (qb) =>
          qb
            .selectFrom('people')
            .innerJoin('account_customers as ac', 'ac.account_id', 'people.account_id')
            .where('ac.customer_id', 'is not', null)
            .select(['ac.customer_id', 'people.person_id', 'people.created_at', 'people.channel'])
            .unionAll(
              qb
                .selectFrom('people')
                .innerJoin('customers', (j) =>
                  j.on(sql<boolean>`lower(${sql.ref('customers.email')}) = ${sql.ref('people.email')}`),
                )
                .select([
                  sql<string | null>`${sql.ref('customers.customer_id')}`.as('customer_id'),
                  'people.person_id',
                  'people.created_at',
                  'people.channel',
                ]),
            ),
        )
        .with('acquisition', (qb) =>
          qb
            .selectFrom('customer_people as cp')
            .select([
              'cp.customer_id',
              'cp.channel',
              sql<number>`row_number() OVER (PARTITION BY ${sql.ref('cp.customer_id')} ORDER BY ${sql.ref('cp.created_at')} NULLS LAST, ${sql.ref('cp.person_id')})`.as(
                'rank',
              ),
            ]),
        )
        .with('first_paid', (qb) =>
          qb
            .selectFrom('mrr')
            .where('mrr.mrr', '>', 0)
            .select((eb) => ['mrr.customer_id', eb.fn.min('mrr.month').as('first_paid_month')])
            .groupBy('mrr.customer_id'),
        )
        .selectFrom('rows as r')
        .leftJoin('acquisition as a', (j) =>
          j.onRef('a.customer_id', '=', 'r.customer_id').on('a.rank', '=', 1),
        )
        .leftJoin('first_paid as f', 'f.customer_id', 'r.customer_id')
        .select((eb) => [
          'r.customer_id',
          'r.billing_customer_id',
          'r.crm_account_id',
          'r.name',
          'r.domain',
          segmentOf(eb.ref('r.number_of_employees')).as('segment'),
          regionOf(eb.ref('r.country')).as('region'),
          'r.industry',
          'r.owner_id',
          'r.currency',
          'r.match_method',
          acquisitionChannel(eb.ref('a.channel')).as('acquisition_channel'),
          sql<boolean>`coalesce(${eb.ref('a.channel')} = 'paid', FALSE)`.as('is_paid_acquired'),
          eb.ref('f.first_paid_month').$castTo<string | null>().as('first_paid_month'),
          'r.created_at',
        ]),
    tests: (t) => [
      t.unique('customer_id'),
      t.unique('billing_customer_id'),
      appearsOnce(t, 'every_billing_customer_once', 'billing_customer_id', stgStripeCustomers, 'customer_id'),
      coversKeysOf(t, 'has_every_opportunity_customer', 'customer_id', fctOpportunity, 'customer_id'),
      t.relationships('owner_id', dimOwner, 'owner_id', { severity: 'warn' }),
      t.acceptedValues('segment', SEGMENTS),
      t.acceptedValues('region', REGIONS),
      t.acceptedValues('match_method', MATCH_METHODS),
      t.acceptedValues('acquisition_channel', ACQUISITION_CHANNELS),
    ],
  }),
)
