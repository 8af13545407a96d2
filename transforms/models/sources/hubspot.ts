import { defineSource } from '../../framework/index.js'

/** HubSpot CRM v3 objects as landed by `revops land hubspot`. */
const hubspot = (entity: string, description: string) =>
  defineSource({ source: 'hubspot', entity, description })

export const rawHubspotCompanies = hubspot('companies', 'HubSpot companies as landed.')
export const rawHubspotContacts = hubspot(
  'contacts',
  'HubSpot contacts as landed, with lifecycle entry dates in their properties.',
)
export const rawHubspotDeals = hubspot(
  'deals',
  'HubSpot deals as landed, with stage entry dates in their properties.',
)
export const rawHubspotDealPipelines = hubspot(
  'deal_pipelines',
  'HubSpot deal pipelines with their stages as landed.',
)
