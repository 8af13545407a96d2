import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../framework/index.js'
import { fctCampaignTouch } from '../marts/fct-campaign-touch.js'
import {
  CHANNELS,
  type Channel,
  channelOfHubspotSource,
  channelOfText,
  firstKnownChannel,
} from '../rules/channels.js'
import { stgHubspotCompanies } from '../staging/hubspot/stg-hubspot-companies.js'
import { stgHubspotContacts } from '../staging/hubspot/stg-hubspot-contacts.js'
import { stgSalesforceContact } from '../staging/salesforce/stg-salesforce-contact.js'
import { stgSalesforceLead } from '../staging/salesforce/stg-salesforce-lead.js'
import { intPersonRecords } from './int-person-records.js'

/**
 * One row per person with what the funnel needs: the CRM account, the lifecycle record and the
 * channel that sourced the person. The channel rule (rules/channels.ts), first known wins: the
 * Salesforce lead source, HubSpot's original source, the UTM medium, the first campaign touch.
 * The account is the one the person's lead was converted into, else its Salesforce contact's,
 * else its HubSpot company's (that company's Salesforce account when synced).
 */
export const intPeople = defineModel({
  name: 'int_people',
  layer: 'intermediate',
  materialized: 'table',
  description: 'People across HubSpot and Salesforce with their account and sourcing channel.',
  inputs: {
    records: intPersonRecords,
    hs: stgHubspotContacts,
    companies: stgHubspotCompanies,
    leads: stgSalesforceLead,
    contacts: stgSalesforceContact,
    touches: fctCampaignTouch,
  },
  columns: z.object({
    person_id: z.string(),
    /** `hubspot` when a HubSpot contact is the person's lifecycle record, else `salesforce`. */
    lifecycle_record: z.enum(['hubspot', 'salesforce']),
    email: z.string().nullable(),
    account_id: z.string().nullable(),
    created_at: z.iso.datetime().nullable(),
    lead_source: z.string().nullable(),
    original_source: z.string().nullable(),
    utm_medium: z.string().nullable(),
    first_touch_channel: z.string().nullable(),
    channel: z.enum(CHANNELS),
    is_paid_channel: z.boolean(),
  }),
  query: ({ db }) =>
    db
      .with('facts', (qb) =>
        qb
          .selectFrom('records as r')
          .leftJoin('hs', (j) =>
            j.onRef('hs.contact_id', '=', 'r.record_id').on('r.record_type', '=', 'hubspot_contact'),
          )
          .leftJoin('companies', 'companies.company_id', 'hs.company_id')
          .leftJoin('leads', (j) =>
            j.onRef('leads.lead_id', '=', 'r.record_id').on('r.record_type', '=', 'salesforce_lead'),
          )
          .leftJoin('contacts', (j) =>
            j.onRef('contacts.contact_id', '=', 'r.record_id').on('r.record_type', '=', 'salesforce_contact'),
          )
          .select((eb) => [
            'r.person_id',
            eb.fn
              .max(sql<number>`CASE WHEN ${eb.ref('r.record_type')} = 'hubspot_contact' THEN 1 ELSE 0 END`)
              .as('in_hubspot'),
            eb.fn.max(eb.fn.coalesce('hs.email', 'leads.email', 'contacts.email')).as('email'),
            eb.fn.max('leads.converted_account_id').as('lead_account_id'),
            eb.fn.max('contacts.account_id').as('contact_account_id'),
            eb.fn
              .max(eb.fn.coalesce('companies.salesforce_account_id', 'hs.company_id'))
              .as('company_account_id'),
            eb.fn
              .min(eb.fn.coalesce('hs.created_at', 'leads.created_at', 'contacts.created_at'))
              .as('created_at'),
            // The lead's own source first: a contact's is copied from its lead at conversion.
            eb.fn.max('leads.lead_source').as('lead_lead_source'),
            eb.fn.max('contacts.lead_source').as('contact_lead_source'),
            eb.fn.max('hs.original_source').as('original_source'),
            eb.fn.max('leads.utm_medium').as('utm_medium'),
          ])
          .groupBy('r.person_id'),
      )
      .with('first_touches', (qb) =>
        qb
          .selectFrom('touches')
          .where('touches.is_first_touch', '=', true)
          .select(['touches.person_id', 'touches.channel']),
      )
      .with('people', (qb) =>
        qb
          .selectFrom('facts as f')
          .leftJoin('first_touches as t', 't.person_id', 'f.person_id')
          .select((eb) => {
            const leadSource = eb.fn.coalesce('f.lead_lead_source', 'f.contact_lead_source')
            return [
              'f.person_id',
              sql<
                'hubspot' | 'salesforce'
              >`CASE WHEN ${eb.ref('f.in_hubspot')} = 1 THEN 'hubspot' ELSE 'salesforce' END`.as(
                'lifecycle_record',
              ),
              'f.email',
              eb.fn
                .coalesce('f.lead_account_id', 'f.contact_account_id', 'f.company_account_id')
                .as('account_id'),
              'f.created_at',
              leadSource.as('lead_source'),
              'f.original_source',
              'f.utm_medium',
              't.channel as first_touch_channel',
              firstKnownChannel([
                channelOfText(leadSource),
                channelOfHubspotSource(eb.ref('f.original_source')),
                channelOfText(eb.ref('f.utm_medium')),
                sql<Channel | null>`${eb.ref('t.channel')}`,
              ]).as('channel'),
            ]
          }),
      )
      .selectFrom('people as p')
      .selectAll('p')
      .select(sql<boolean>`${sql.ref('p.channel')} = 'paid'`.as('is_paid_channel')),
  tests: (t) => [t.unique('person_id'), t.acceptedValues('channel', CHANNELS)],
})
