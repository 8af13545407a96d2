import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../framework/index.js'
import { companyDomain } from '../rules/free-email-domains.js'
import { stgHubspotCompanies } from '../staging/hubspot/stg-hubspot-companies.js'
import { stgSalesforceAccount } from '../staging/salesforce/stg-salesforce-account.js'
import { crmAccountUnitTests } from './identity.unit-tests.js'

/**
 * CRM accounts grouped into companies — the rule that keeps a company entered twice from counting
 * twice. Accounts are Salesforce accounts and the HubSpot companies not synced to one (HubSpot is
 * their record). A merged Salesforce account (deleted, naming its survivor in `MasterRecordId`)
 * belongs to its survivor's company; live accounts sharing a website domain (not a mailbox
 * provider's) are one company. The company's primary account is its Salesforce account created
 * first (then the lowest id); the identity and the opportunity marts speak of companies through it.
 * A deleted account with no survivor has no company.
 */
export const intCrmAccounts = defineModel({
  name: 'int_crm_accounts',
  layer: 'intermediate',
  materialized: 'table',
  description:
    'Salesforce accounts and HubSpot-only companies, each with the primary account of its company.',
  inputs: { sf: stgSalesforceAccount, hs: stgHubspotCompanies },
  columns: z.object({
    account_id: z.string(),
    source_system: z.string(),
    account_name: z.string().nullable(),
    domain: z.string().nullable(),
    industry: z.string().nullable(),
    number_of_employees: z.int().nullable(),
    country: z.string().nullable(),
    owner_id: z.string().nullable(),
    created_at: z.iso.datetime().nullable(),
    is_deleted: z.boolean(),
    /** The primary account of the company; NULL for a deleted account without a survivor. */
    company_account_id: z.string().nullable(),
  }),
  query: ({ db }) =>
    db
      .with('accounts', (qb) =>
        qb
          .selectFrom('sf')
          .select((eb) => [
            'sf.account_id',
            sql<string>`'salesforce'`.as('source_system'),
            'sf.account_name',
            companyDomain(eb.ref('sf.domain')).as('domain'),
            'sf.industry',
            'sf.number_of_employees',
            eb.ref('sf.billing_country').as('country'),
            'sf.owner_id',
            'sf.created_at',
            'sf.is_deleted',
            sql<string>`CASE WHEN ${eb.ref('sf.is_deleted')} AND ${eb.ref('sf.master_record_id')} IS NOT NULL THEN ${eb.ref('sf.master_record_id')} ELSE ${eb.ref('sf.account_id')} END`.as(
              'survivor_id',
            ),
          ])
          .unionAll(
            qb
              .selectFrom('hs')
              .where('hs.salesforce_account_id', 'is', null)
              .select((eb) => [
                'hs.company_id as account_id',
                sql<string>`'hubspot'`.as('source_system'),
                'hs.company_name as account_name',
                companyDomain(eb.ref('hs.domain')).as('domain'),
                'hs.industry',
                'hs.number_of_employees',
                'hs.country',
                'hs.owner_id',
                'hs.created_at',
                'hs.is_deleted',
                'hs.company_id as survivor_id',
              ]),
          ),
      )
      .with('companies', (qb) =>
        qb
          .selectFrom('accounts as a')
          .where('a.is_deleted', '=', false)
          .select([
            'a.account_id',
            sql<string>`first_value(${sql.ref('a.account_id')}) OVER (PARTITION BY coalesce(${sql.ref('a.domain')}, ${sql.ref('a.account_id')}) ORDER BY CASE WHEN ${sql.ref('a.source_system')} = 'salesforce' THEN 0 ELSE 1 END, ${sql.ref('a.created_at')} NULLS LAST, ${sql.ref('a.account_id')})`.as(
              'company_account_id',
            ),
          ]),
      )
      .selectFrom('accounts as a')
      .leftJoin('companies as c', 'c.account_id', 'a.survivor_id')
      .select([
        'a.account_id',
        'a.source_system',
        'a.account_name',
        'a.domain',
        'a.industry',
        'a.number_of_employees',
        'a.country',
        'a.owner_id',
        'a.created_at',
        'a.is_deleted',
        'c.company_account_id',
      ]),
  unitTests: crmAccountUnitTests,
  tests: (t) => [t.unique('account_id')],
})
