import type { RowOf } from '../../framework/index.js'
import type { stgHubspotCompanies } from '../staging/hubspot/stg-hubspot-companies.js'
import type { stgSalesforceAccount } from '../staging/salesforce/stg-salesforce-account.js'
import type { intCrmAccounts } from './int-crm-accounts.js'

const at = (day: string) => `${day}T08:00:00.000Z`
const sf = (
  row: Partial<RowOf<typeof stgSalesforceAccount>>,
): Partial<RowOf<typeof stgSalesforceAccount>> => ({
  is_deleted: false,
  ...row,
})
const hs = (row: Partial<RowOf<typeof stgHubspotCompanies>>): Partial<RowOf<typeof stgHubspotCompanies>> => ({
  is_deleted: false,
  ...row,
})

/** Hand-written cases for grouping CRM accounts into companies (int_crm_accounts). */
export const crmAccountUnitTests = [
  {
    name: 'duplicates_and_merged_accounts_join_their_company',
    given: {
      sf: [
        sf({ account_id: 'A1', domain: 'acme.com', created_at: at('2023-01-01') }),
        sf({ account_id: 'A2', domain: 'acme.com', created_at: at('2023-03-01') }),
        sf({
          account_id: 'A3',
          domain: 'acme.com',
          created_at: at('2023-02-01'),
          is_deleted: true,
          master_record_id: 'A1',
        }),
        sf({ account_id: 'A4', domain: 'delta.com', created_at: at('2023-02-01'), is_deleted: true }),
        sf({ account_id: 'A5', domain: 'gmail.com', created_at: at('2023-01-05') }),
        sf({ account_id: 'A6', domain: 'beta.io', created_at: at('2023-01-06') }),
        sf({ account_id: 'A7', domain: 'gmail.com', created_at: at('2023-01-07') }),
      ],
      hs: [
        hs({ company_id: 'H1', domain: 'beta.io', salesforce_account_id: 'A6' }),
        hs({ company_id: 'H2', domain: 'gamma.de', created_at: at('2022-01-01') }),
        hs({ company_id: 'H3', domain: 'acme.com', created_at: at('2022-01-01') }),
      ],
    },
    expect: [
      { account_id: 'A1', company_account_id: 'A1', domain: 'acme.com' },
      { account_id: 'A2', company_account_id: 'A1', domain: 'acme.com' },
      { account_id: 'A3', company_account_id: 'A1', domain: 'acme.com' },
      // Deleted without a survivor: no company.
      { account_id: 'A4', company_account_id: null, domain: 'delta.com' },
      // A mailbox provider's domain groups nothing.
      { account_id: 'A5', company_account_id: 'A5', domain: null },
      { account_id: 'A6', company_account_id: 'A6', domain: 'beta.io' },
      { account_id: 'A7', company_account_id: 'A7', domain: null },
      { account_id: 'H2', company_account_id: 'H2', domain: 'gamma.de' },
      // Salesforce is the record: an older HubSpot-only company joins the Salesforce account.
      { account_id: 'H3', company_account_id: 'A1', domain: 'acme.com' },
    ],
  },
]

type Account = Partial<RowOf<typeof intCrmAccounts>>
const account = (id: string, company: string | null, domain: string | null, created: string): Account => ({
  account_id: id,
  company_account_id: company,
  domain,
  created_at: at(created),
  is_deleted: false,
})

/** Hand-written cases for matching billing customers to CRM companies (int_customer_matches). */
export const customerMatchUnitTests = [
  {
    name: 'account_map_then_crm_id_then_domain',
    given: {
      accounts: [
        account('A1', 'A1', 'acme.com', '2023-01-01'),
        account('A2', 'A1', 'acme.com', '2023-03-01'),
        account('A6', 'A6', 'beta.io', '2023-01-06'),
        account('H2', 'H2', 'gamma.de', '2022-01-01'),
      ],
      customers: [
        { customer_id: 'cus_map', email_domain: 'other.com' },
        { customer_id: 'cus_both', email_domain: 'acme.com' },
        { customer_id: 'cus_id', email_domain: 'other.com' },
        { customer_id: 'cus_domain', email_domain: 'gamma.de' },
        { customer_id: 'cus_free', email_domain: 'gmail.com' },
      ],
      map: [
        // Mapped to the duplicate account: the company's primary account stands for it.
        { crm_account_id: 'A2', billing_customer_id: 'cus_map' },
        // Mapped twice (the company entered twice): still one match.
        { crm_account_id: 'A6', billing_customer_id: 'cus_both' },
        { crm_account_id: 'A1', billing_customer_id: 'cus_both' },
      ],
      ids: [
        { billing_customer_id: 'cus_id', crm_account_id: 'A6' },
        { billing_customer_id: 'cus_map', crm_account_id: 'A6' },
      ],
    },
    expect: [
      { billing_customer_id: 'cus_map', crm_account_id: 'A1', match_method: 'account_map' as const },
      { billing_customer_id: 'cus_both', crm_account_id: 'A1', match_method: 'account_map' as const },
      { billing_customer_id: 'cus_id', crm_account_id: 'A6', match_method: 'crm_id' as const },
      { billing_customer_id: 'cus_domain', crm_account_id: 'H2', match_method: 'domain' as const },
      { billing_customer_id: 'cus_free', crm_account_id: null, match_method: 'unmatched_billing' as const },
    ],
  },
]
