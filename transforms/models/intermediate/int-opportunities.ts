import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../framework/index.js'
import { opportunityType } from '../rules/opportunity-types.js'
import { stgHubspotCompanies } from '../staging/hubspot/stg-hubspot-companies.js'
import { stgHubspotDealPipelineStages } from '../staging/hubspot/stg-hubspot-deal-pipeline-stages.js'
import { stgHubspotDeals } from '../staging/hubspot/stg-hubspot-deals.js'
import { stgSalesforceOpportunity } from '../staging/salesforce/stg-salesforce-opportunity.js'
import { stageKey } from './stage-key.js'

/**
 * The opportunities of both CRMs as they are now, one system of record each: every Salesforce
 * opportunity, and the HubSpot deals no Salesforce opportunity stands for (a deal synced from
 * Salesforce names it in `salesforce_opportunity_id`). Deleted records are left out here; their
 * history goes with them. A HubSpot deal's company becomes its account: the company's Salesforce
 * account when it is synced, else the company itself.
 */
export const intOpportunities = defineModel({
  name: 'int_opportunities',
  layer: 'intermediate',
  materialized: 'table',
  description: 'Current opportunities from Salesforce and HubSpot-only deals, deleted ones excluded.',
  inputs: {
    sf: stgSalesforceOpportunity,
    deals: stgHubspotDeals,
    companies: stgHubspotCompanies,
    stages: stgHubspotDealPipelineStages,
  },
  columns: z.object({
    opportunity_id: z.string(),
    source_system: z.enum(['salesforce', 'hubspot']),
    account_id: z.string().nullable(),
    owner_id: z.string().nullable(),
    opportunity_name: z.string().nullable(),
    created_at: z.iso.datetime(),
    last_modified_at: z.iso.datetime(),
    close_date: z.iso.date().nullable(),
    pipeline_id: z.string().nullable(),
    stage_id: z.string(),
    stage_key: z.string(),
    opportunity_type: z.string(),
    currency: z.string(),
    amount_native: z.number().nullable(),
    amount: z.number().nullable(),
    forecast_category: z.string().nullable(),
    lead_source: z.string().nullable(),
    campaign_id: z.string().nullable(),
    is_closed: z.boolean(),
    is_won: z.boolean(),
  }),
  query: ({ db }) => {
    const salesforce = db
      .selectFrom('sf')
      .where('sf.is_deleted', '=', false)
      .select((eb) => [
        'sf.opportunity_id',
        sql<'salesforce' | 'hubspot'>`'salesforce'`.as('source_system'),
        'sf.account_id',
        'sf.owner_id',
        'sf.opportunity_name',
        'sf.created_at',
        eb.fn.coalesce('sf.last_modified_at', 'sf.updated_at', 'sf.created_at').as('last_modified_at'),
        'sf.close_date',
        sql<string | null>`CAST(NULL AS VARCHAR)`.as('pipeline_id'),
        'sf.stage_name as stage_id',
        stageKey(sql`'salesforce'`, sql`NULL`, eb.ref('sf.stage_name')).as('stage_key'),
        opportunityType(eb.ref('sf.opportunity_type'), sql`NULL`).as('opportunity_type'),
        'sf.currency',
        'sf.amount_native',
        'sf.amount',
        'sf.forecast_category',
        'sf.lead_source',
        'sf.campaign_id',
        'sf.is_closed',
        'sf.is_won',
      ])
    const hubspot = db
      .selectFrom('deals')
      .leftJoin('sf', 'sf.opportunity_id', 'deals.salesforce_opportunity_id')
      .leftJoin('companies', 'companies.company_id', 'deals.company_id')
      .leftJoin('stages', (j) =>
        j
          .onRef('stages.pipeline_id', '=', 'deals.pipeline_id')
          .onRef('stages.stage_id', '=', 'deals.deal_stage_id'),
      )
      .where('deals.is_deleted', '=', false)
      .where('sf.opportunity_id', 'is', null)
      .select((eb) => {
        const closed = eb.fn.coalesce('stages.is_closed', eb.lit(false))
        const won = eb.fn.coalesce('stages.is_won', eb.lit(false))
        return [
          'deals.deal_id as opportunity_id',
          sql<'salesforce' | 'hubspot'>`'hubspot'`.as('source_system'),
          eb.fn.coalesce('companies.salesforce_account_id', 'deals.company_id').as('account_id'),
          'deals.owner_id',
          'deals.deal_name as opportunity_name',
          'deals.created_at',
          eb.fn.coalesce('deals.updated_at', 'deals.created_at').as('last_modified_at'),
          'deals.close_date',
          'deals.pipeline_id',
          eb.fn.coalesce('deals.deal_stage_id', eb.val('(none)')).as('stage_id'),
          stageKey(sql`'hubspot'`, eb.ref('deals.pipeline_id'), eb.ref('deals.deal_stage_id')).as(
            'stage_key',
          ),
          opportunityType(eb.ref('deals.deal_type'), eb.ref('stages.pipeline_label')).as('opportunity_type'),
          'deals.currency',
          'deals.amount_native',
          'deals.amount',
          // HubSpot's manual category when set, else the category its stage implies.
          sql<
            string | null
          >`coalesce(${eb.ref('deals.forecast_category')}, CASE WHEN ${won} THEN 'Closed' WHEN ${closed} THEN 'Omitted' ELSE 'Pipeline' END)`.as(
            'forecast_category',
          ),
          sql<string | null>`CAST(NULL AS VARCHAR)`.as('lead_source'),
          sql<string | null>`CAST(NULL AS VARCHAR)`.as('campaign_id'),
          closed.as('is_closed'),
          won.as('is_won'),
        ]
      })
    return salesforce.unionAll(hubspot)
  },
  tests: (t) => [t.unique('opportunity_id')],
})
