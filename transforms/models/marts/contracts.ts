import { z } from 'zod'

/**
 * The output contracts of the marts: the governed fact and dimension tables the semantic layer
 * reads. Each mart model declares `columns: <Contract>`; the framework checks the built table
 * against it and downstream code gets the row type from it. Money columns without a suffix are
 * in the reporting currency's major unit; `_native` columns are in the record's own currency
 * (major unit, zero-decimal currencies respected).
 */

const date = () => z.iso.date()
const timestamp = () => z.iso.datetime()

/** The date spine: one row per day over the data's range, so every period exists. */
export const DimDate = z.object({
  date_day: date(),
  week_start: date(),
  month_start: date(),
  quarter_start: date(),
  year_start: date(),
  is_month_end: z.boolean(),
})

/** Sales owners (CRM users). */
export const DimOwner = z.object({
  owner_id: z.string(),
  owner_name: z.string().nullable(),
  email: z.string().nullable(),
  is_active: z.boolean(),
})

/**
 * The governed customer: one row per billing customer, plus one per CRM account that no billing
 * customer matched (`customer_id` = `crm:<account id>`), so nothing is silently dropped.
 */
export const DimCustomer = z.object({
  customer_id: z.string(),
  billing_customer_id: z.string().nullable(),
  crm_account_id: z.string().nullable(),
  name: z.string().nullable(),
  domain: z.string().nullable(),
  /** smb | mid_market | enterprise | unknown */
  segment: z.string(),
  /** na | emea | apac | latam | unknown */
  region: z.string(),
  industry: z.string().nullable(),
  owner_id: z.string().nullable(),
  currency: z.string().nullable(),
  /** account_map | crm_id | domain | unmatched_billing | unmatched_crm */
  match_method: z.string(),
  /** paid | organic | outbound | partner | unknown: the first channel that sourced the customer. */
  acquisition_channel: z.string(),
  is_paid_acquired: z.boolean(),
  first_paid_month: date().nullable(),
  created_at: timestamp().nullable(),
})

/** Contract MRR of one subscription item at one month's end (METRICS.md normalisation). */
export const FctSubscriptionItemMonth = z.object({
  subscription_item_id: z.string(),
  subscription_id: z.string(),
  customer_id: z.string(),
  month: date(),
  price_id: z.string().nullable(),
  product_id: z.string().nullable(),
  /** day | week | month | year */
  billing_interval: z.string().nullable(),
  quantity: z.number().nullable(),
  currency: z.string(),
  mrr_native: z.number(),
  mrr: z.number(),
  is_trialing: z.boolean(),
  is_past_due: z.boolean(),
  is_paused: z.boolean(),
  is_canceled: z.boolean(),
})

/**
 * One row per customer per month from its first month with MRR through the last month of the
 * data (zeros after churn are kept). Roll-forward, every row:
 * `mrr = previous_mrr + new_mrr + expansion_mrr + reactivation_mrr − contraction_mrr − churned_mrr + fx_mrr`.
 */
export const FctCustomerMrrMonth = z.object({
  customer_id: z.string(),
  month: date(),
  currency: z.string(),
  mrr_native: z.number(),
  mrr: z.number(),
  previous_mrr: z.number(),
  /** new | expansion | contraction | churn | reactivation | unchanged */
  movement: z.string(),
  new_mrr: z.number(),
  expansion_mrr: z.number(),
  contraction_mrr: z.number(),
  churned_mrr: z.number(),
  reactivation_mrr: z.number(),
  /** Reporting-currency change caused by exchange rates alone (signed). */
  fx_mrr: z.number(),
  is_active: z.boolean(),
  was_active: z.boolean(),
  cohort_month: date(),
  months_since_cohort: z.int(),
})

/** One row per customer-month with a movement (`unchanged` months are omitted). */
export const FctMrrMovement = z.object({
  customer_id: z.string(),
  month: date(),
  movement: z.string(),
  /** The movement's size, positive (contraction and churn included). */
  amount: z.number(),
  previous_mrr: z.number(),
  mrr: z.number(),
})

/** Finalized and draft invoices; money excludes tax unless named `_including_tax`. */
export const FctInvoice = z.object({
  invoice_id: z.string(),
  customer_id: z.string(),
  subscription_id: z.string().nullable(),
  invoice_date: date(),
  /** draft | open | paid | uncollectible | void */
  status: z.string(),
  is_finalized: z.boolean(),
  currency: z.string(),
  subtotal_native: z.number(),
  discount_native: z.number(),
  tax_native: z.number(),
  total_native: z.number(),
  /** Total excluding tax, reporting currency. */
  total_excluding_tax: z.number(),
  tax: z.number(),
  amount_paid: z.number(),
})

export const FctInvoiceLine = z.object({
  invoice_line_id: z.string(),
  invoice_id: z.string(),
  customer_id: z.string(),
  subscription_id: z.string().nullable(),
  subscription_item_id: z.string().nullable(),
  price_id: z.string().nullable(),
  invoice_date: date(),
  invoice_status: z.string(),
  currency: z.string(),
  is_recurring: z.boolean(),
  is_proration: z.boolean(),
  period_start: timestamp().nullable(),
  period_end: timestamp().nullable(),
  quantity: z.number().nullable(),
  /** Before discounts, excluding tax. */
  gross_amount_native: z.number(),
  discount_native: z.number(),
  tax_native: z.number(),
  /** After discounts, excluding tax. */
  amount_native: z.number(),
  amount: z.number(),
  discount: z.number(),
  tax: z.number(),
})

/** Charges and refunds; `net_amount` is positive for a succeeded charge and negative for a refund. */
export const FctPayment = z.object({
  payment_id: z.string(),
  /** charge | refund */
  kind: z.string(),
  customer_id: z.string().nullable(),
  invoice_id: z.string().nullable(),
  payment_date: date(),
  /** succeeded | failed | pending */
  status: z.string(),
  currency: z.string(),
  amount_native: z.number(),
  amount: z.number(),
  net_amount: z.number(),
})

/** Opportunities (CRM deals) as they are now; deleted records are excluded. */
export const FctOpportunity = z.object({
  opportunity_id: z.string(),
  /** salesforce | hubspot */
  source_system: z.string(),
  account_id: z.string().nullable(),
  customer_id: z.string().nullable(),
  owner_id: z.string().nullable(),
  name: z.string().nullable(),
  created_date: date(),
  close_date: date().nullable(),
  stage: z.string(),
  /** new_business | expansion | renewal | other */
  opportunity_type: z.string(),
  amount: z.number().nullable(),
  currency: z.string().nullable(),
  is_closed: z.boolean(),
  is_won: z.boolean(),
  is_qualified: z.boolean(),
  forecast_category: z.string().nullable(),
  lead_source: z.string().nullable(),
  campaign_id: z.string().nullable(),
  is_marketing_sourced: z.boolean(),
  days_to_close: z.int().nullable(),
})

/**
 * Each opportunity's state over time, rebuilt from history tables: one row per state, valid over
 * `[valid_from, valid_to)` (`valid_to` NULL for the current state). The state on any day — the
 * daily snapshot — is the row whose interval holds that day.
 */
export const FctOpportunityHistory = z.object({
  opportunity_id: z.string(),
  owner_id: z.string().nullable(),
  customer_id: z.string().nullable(),
  valid_from: timestamp(),
  valid_to: timestamp().nullable(),
  stage: z.string(),
  amount: z.number().nullable(),
  close_date: date().nullable(),
  forecast_category: z.string().nullable(),
  is_closed: z.boolean(),
  is_won: z.boolean(),
  is_qualified: z.boolean(),
})

/**
 * Each opportunity's state at the end of each day (a view over the history: the row whose
 * interval holds the day's last instant), from the day it was created through the last day any
 * opportunity changed. Forecast, coverage and pipeline-as-of questions read it, never current values.
 */
export const FctOpportunityDailySnapshot = z.object({
  snapshot_date: date(),
  opportunity_id: z.string(),
  owner_id: z.string().nullable(),
  customer_id: z.string().nullable(),
  stage: z.string(),
  amount: z.number().nullable(),
  close_date: date().nullable(),
  forecast_category: z.string().nullable(),
  is_closed: z.boolean(),
  is_won: z.boolean(),
  is_qualified: z.boolean(),
})

/** One row per opportunity per stage entered (from history, never from current values). */
export const FctOpportunityStageEvent = z.object({
  opportunity_id: z.string(),
  owner_id: z.string().nullable(),
  stage: z.string(),
  stage_order: z.int(),
  entered_at: timestamp(),
  exited_at: timestamp().nullable(),
  next_stage: z.string().nullable(),
  /** Reached a later stage of the sales path (not lost, not a step back). */
  reached_next_stage: z.boolean(),
  days_in_stage: z.number().nullable(),
})

/** A person's first entry into each lifecycle stage. */
export const FctLifecycleEvent = z.object({
  person_id: z.string(),
  /** lead | mql | sql | opportunity | customer */
  stage: z.string(),
  entered_at: timestamp(),
  account_id: z.string().nullable(),
  /** paid | organic | outbound | partner | event | unknown */
  channel: z.string(),
  is_paid_channel: z.boolean(),
})

export const FctAdSpendDaily = z.object({
  spend_date: date(),
  /** google_ads | meta_ads | linkedin_ads | other */
  platform: z.string(),
  /** The channel as its source names it: the platform, or `ad_spend.csv`'s channel (e.g. microsoft_ads). */
  channel: z.string(),
  campaign_id: z.string(),
  campaign_name: z.string().nullable(),
  currency: z.string(),
  spend_native: z.number(),
  spend: z.number(),
  impressions: z.int(),
  clicks: z.int(),
})

/** A person's touch of a campaign, with first-touch sourcing. */
export const FctCampaignTouch = z.object({
  person_id: z.string(),
  campaign_id: z.string(),
  campaign_name: z.string().nullable(),
  channel: z.string(),
  touched_at: timestamp(),
  is_first_touch: z.boolean(),
})

/** Quotas spread evenly over the months of their quota period. */
export const FctQuotaMonth = z.object({
  owner_id: z.string(),
  month: date(),
  quota: z.number(),
})

export const FctFinanceMonth = z.object({
  month: date(),
  sm_expense: z.number().nullable(),
  gross_margin: z.number().nullable(),
})

/** Subscription terms that ended: did the subscription continue into a next term? */
export const FctSubscriptionTerm = z.object({
  subscription_id: z.string(),
  customer_id: z.string(),
  term_end: date(),
  continued: z.boolean(),
})

/** Trials that ended, and whether they became paid. */
export const FctTrial = z.object({
  subscription_id: z.string(),
  customer_id: z.string(),
  trial_end: date(),
  converted: z.boolean(),
})

/** Every mart's contract by table name, for code that needs all of them (fixtures, docs). */
export const MART_CONTRACTS = {
  dim_date: DimDate,
  dim_owner: DimOwner,
  dim_customer: DimCustomer,
  fct_subscription_item_month: FctSubscriptionItemMonth,
  fct_customer_mrr_month: FctCustomerMrrMonth,
  fct_mrr_movement: FctMrrMovement,
  fct_invoice: FctInvoice,
  fct_invoice_line: FctInvoiceLine,
  fct_payment: FctPayment,
  fct_opportunity: FctOpportunity,
  fct_opportunity_history: FctOpportunityHistory,
  fct_opportunity_daily_snapshot: FctOpportunityDailySnapshot,
  fct_opportunity_stage_event: FctOpportunityStageEvent,
  fct_lifecycle_event: FctLifecycleEvent,
  fct_ad_spend_daily: FctAdSpendDaily,
  fct_campaign_touch: FctCampaignTouch,
  fct_quota_month: FctQuotaMonth,
  fct_finance_month: FctFinanceMonth,
  fct_subscription_term: FctSubscriptionTerm,
  fct_trial: FctTrial,
} as const

export type MartName = keyof typeof MART_CONTRACTS
export type MartRow<N extends MartName> = z.output<(typeof MART_CONTRACTS)[N]>
