import { defineSource } from '../../framework/index.js'

/** Salesforce objects as landed by `revops land salesforce` (one raw table per object). */
const salesforce = (entity: string, description: string) =>
  defineSource({ source: 'salesforce', entity, description })

export const rawSalesforceAccount = salesforce('account', 'Salesforce Account records as landed.')
export const rawSalesforceContact = salesforce('contact', 'Salesforce Contact records as landed.')
export const rawSalesforceLead = salesforce('lead', 'Salesforce Lead records as landed.')
export const rawSalesforceOpportunity = salesforce('opportunity', 'Salesforce Opportunity records as landed.')
export const rawSalesforceOpportunityHistory = salesforce(
  'opportunity_history',
  'Salesforce OpportunityHistory: one row per change of stage, amount, probability or close date.',
)
export const rawSalesforceOpportunityFieldHistory = salesforce(
  'opportunity_field_history',
  'Salesforce OpportunityFieldHistory: one row per change of a tracked field (owner changes live here).',
)
export const rawSalesforceCampaign = salesforce('campaign', 'Salesforce Campaign records as landed.')
export const rawSalesforceCampaignMember = salesforce(
  'campaign_member',
  'Salesforce CampaignMember records (a lead or contact in a campaign) as landed.',
)
export const rawSalesforceUser = salesforce('user', 'Salesforce User records as landed.')
