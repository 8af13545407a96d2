import { sql } from 'kysely'
import { defineModel } from '../../framework/index.js'
import { exactlyOneFlagged } from '../checks/custom-tests.js'
import { intPersonRecords } from '../intermediate/int-person-records.js'
import { CHANNELS, channelOfHubspotSource, channelOfText } from '../rules/channels.js'
import { stgHubspotContacts } from '../staging/hubspot/stg-hubspot-contacts.js'
import { stgSalesforceCampaign } from '../staging/salesforce/stg-salesforce-campaign.js'
import { stgSalesforceCampaignMember } from '../staging/salesforce/stg-salesforce-campaign-member.js'
import { stgSalesforceLead } from '../staging/salesforce/stg-salesforce-lead.js'
import { FctCampaignTouch } from './contracts.js'

/** HubSpot original sources whose second drill-down is the UTM campaign (not a search term or a URL). */
const UTM_SOURCES = ['PAID_SEARCH', 'PAID_SOCIAL', 'EMAIL_MARKETING', 'OTHER_CAMPAIGNS']

/**
 * A person's touch of a campaign: responses to Salesforce campaigns (campaign members that
 * responded, at their first response), the UTM campaign HubSpot recorded as a contact's original
 * source, and the UTM campaign on a Salesforce lead. A UTM campaign is the Salesforce campaign
 * with that `UTM_Campaign__c`, else `utm:<name>`. One row per person and campaign, at the first
 * touch; `is_first_touch` marks each person's earliest campaign (first-touch sourcing).
 */
export const fctCampaignTouch = defineModel({
  name: 'fct_campaign_touch',
  layer: 'marts',
  materialized: 'table',
  description:
    'Campaign touches per person and campaign (Salesforce responses, HubSpot and lead UTMs), first touch flagged.',
  inputs: {
    members: stgSalesforceCampaignMember,
    campaigns: stgSalesforceCampaign,
    contacts: stgHubspotContacts,
    leads: stgSalesforceLead,
    records: intPersonRecords,
  },
  columns: FctCampaignTouch,
  query: ({ db, dialect }) => {
    const members = db
      .selectFrom('members')
      .innerJoin('campaigns', 'campaigns.campaign_id', 'members.campaign_id')
      .leftJoin('records as by_lead', (j) =>
        j
          .onRef('by_lead.record_id', '=', 'members.lead_id')
          .on('by_lead.record_type', '=', 'salesforce_lead'),
      )
      .leftJoin('records as by_contact', (j) =>
        j
          .onRef('by_contact.record_id', '=', 'members.contact_id')
          .on('by_contact.record_type', '=', 'salesforce_contact'),
      )
      .where('members.is_deleted', '=', false)
      .where((eb) =>
        eb.or([eb('members.has_responded', '=', true), eb('members.first_responded_date', 'is not', null)]),
      )
      .select((eb) => [
        eb.fn.coalesce('by_lead.person_id', 'by_contact.person_id').as('person_id'),
        'members.campaign_id',
        'campaigns.campaign_name',
        'campaigns.channel',
        sql<
          string | null
        >`coalesce(${dialect.cast(eb.ref('members.first_responded_date'), 'timestamp')}, ${eb.ref('members.created_at')})`.as(
          'touched_at',
        ),
      ])
    const hubspot = db
      .selectFrom('contacts')
      .leftJoin('campaigns', (j) =>
        j.on(
          sql<boolean>`${sql.ref('campaigns.utm_campaign')} = lower(${sql.ref('contacts.original_source_data_2')})`,
        ),
      )
      .where('contacts.is_deleted', '=', false)
      .where('contacts.original_source', 'in', UTM_SOURCES)
      .where('contacts.original_source_data_2', 'is not', null)
      .select((eb) => [
        eb.ref('contacts.contact_id').$castTo<string | null>().as('person_id'),
        sql<string>`coalesce(${eb.ref('campaigns.campaign_id')}, 'utm:' || lower(${eb.ref('contacts.original_source_data_2')}))`.as(
          'campaign_id',
        ),
        eb.fn.coalesce('campaigns.campaign_name', 'contacts.original_source_data_2').as('campaign_name'),
        sql<string>`coalesce(${eb.ref('campaigns.channel')}, ${channelOfHubspotSource(eb.ref('contacts.original_source'))}, 'unknown')`.as(
          'channel',
        ),
        eb.fn.coalesce('contacts.created_at', 'contacts.became_lead_at').as('touched_at'),
      ])
    const leadUtms = db
      .selectFrom('leads')
      .innerJoin('records', (j) =>
        j.onRef('records.record_id', '=', 'leads.lead_id').on('records.record_type', '=', 'salesforce_lead'),
      )
      .leftJoin('campaigns', (j) =>
        j.on(sql<boolean>`${sql.ref('campaigns.utm_campaign')} = lower(${sql.ref('leads.utm_campaign')})`),
      )
      .where('leads.utm_campaign', 'is not', null)
      .select((eb) => [
        eb.ref('records.person_id').$castTo<string | null>().as('person_id'),
        sql<string>`coalesce(${eb.ref('campaigns.campaign_id')}, 'utm:' || lower(${eb.ref('leads.utm_campaign')}))`.as(
          'campaign_id',
        ),
        eb.fn.coalesce('campaigns.campaign_name', 'leads.utm_campaign').as('campaign_name'),
        sql<string>`coalesce(${eb.ref('campaigns.channel')}, ${channelOfText(eb.ref('leads.utm_medium'))}, 'unknown')`.as(
          'channel',
        ),
        'leads.created_at as touched_at',
      ])
    return db
      .with('touches', () => members.unionAll(hubspot).unionAll(leadUtms))
      .with('firsts', (qb) =>
        qb
          .selectFrom('touches as t')
          .where('t.person_id', 'is not', null)
          .where('t.touched_at', 'is not', null)
          .selectAll('t')
          .select(
            sql<number>`row_number() OVER (PARTITION BY ${sql.ref('t.person_id')}, ${sql.ref('t.campaign_id')} ORDER BY ${sql.ref('t.touched_at')}, ${sql.ref('t.channel')})`.as(
              'touch_number',
            ),
          ),
      )
      .selectFrom('firsts as f')
      .where('f.touch_number', '=', 1)
      .select((eb) => [
        eb.ref('f.person_id').$notNull().as('person_id'),
        'f.campaign_id',
        'f.campaign_name',
        'f.channel',
        eb.ref('f.touched_at').$notNull().as('touched_at'),
        sql<boolean>`row_number() OVER (PARTITION BY ${sql.ref('f.person_id')} ORDER BY ${sql.ref('f.touched_at')}, ${sql.ref('f.campaign_id')}) = 1`.as(
          'is_first_touch',
        ),
      ])
  },
  tests: (t) => [
    t.unique(['person_id', 'campaign_id']),
    exactlyOneFlagged(t, 'one_first_touch_per_person', 'person_id', 'is_first_touch'),
    t.acceptedValues('channel', CHANNELS),
  ],
})
