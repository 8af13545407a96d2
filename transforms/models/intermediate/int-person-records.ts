import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../framework/index.js'
import { stgHubspotContacts } from '../staging/hubspot/stg-hubspot-contacts.js'
import { stgSalesforceContact } from '../staging/salesforce/stg-salesforce-contact.js'
import { stgSalesforceLead } from '../staging/salesforce/stg-salesforce-lead.js'

export const PERSON_RECORD_TYPES = ['hubspot_contact', 'salesforce_lead', 'salesforce_contact'] as const
type PersonRecordType = (typeof PERSON_RECORD_TYPES)[number]
const recordType = (type: PersonRecordType) => sql<PersonRecordType>`${type}`

/**
 * Which person each CRM record is. HubSpot is the marketing record: a HubSpot contact is a person
 * (`person_id` = its id). A Salesforce lead is the person of the HubSpot contact that names it
 * (`salesforceleadid`), or names the contact it was converted into, or has its email; otherwise
 * the lead is a person of its own. A Salesforce contact is the person of the HubSpot contact that
 * names it, else of the lead converted into it, else of the HubSpot contact with its email, else
 * its own. Deleted records are left out.
 */
export const intPersonRecords = defineModel({
  name: 'int_person_records',
  layer: 'intermediate',
  materialized: 'table',
  description: 'Each HubSpot contact, Salesforce lead and Salesforce contact with the person it is.',
  inputs: { hs: stgHubspotContacts, leads: stgSalesforceLead, contacts: stgSalesforceContact },
  columns: z.object({
    record_type: z.enum(PERSON_RECORD_TYPES),
    record_id: z.string(),
    person_id: z.string(),
  }),
  query: ({ db }) =>
    db
      .with('live_hs', (qb) =>
        qb
          .selectFrom('hs')
          .where('hs.is_deleted', '=', false)
          .select(['hs.contact_id', 'hs.email', 'hs.salesforce_lead_id', 'hs.salesforce_contact_id']),
      )
      // One HubSpot contact per lead id, contact id and email (the lowest id when several claim one).
      .with('by_lead', (qb) =>
        qb
          .selectFrom('live_hs')
          .where('live_hs.salesforce_lead_id', 'is not', null)
          .select((eb) => [
            'live_hs.salesforce_lead_id as key',
            eb.fn.min('live_hs.contact_id').as('person_id'),
          ])
          .groupBy('live_hs.salesforce_lead_id'),
      )
      .with('by_contact', (qb) =>
        qb
          .selectFrom('live_hs')
          .where('live_hs.salesforce_contact_id', 'is not', null)
          .select((eb) => [
            'live_hs.salesforce_contact_id as key',
            eb.fn.min('live_hs.contact_id').as('person_id'),
          ])
          .groupBy('live_hs.salesforce_contact_id'),
      )
      .with('by_email', (qb) =>
        qb
          .selectFrom('live_hs')
          .where('live_hs.email', 'is not', null)
          .select((eb) => ['live_hs.email as key', eb.fn.min('live_hs.contact_id').as('person_id')])
          .groupBy('live_hs.email'),
      )
      .with('lead_people', (qb) =>
        qb
          .selectFrom('leads')
          .leftJoin('by_lead', 'by_lead.key', 'leads.lead_id')
          .leftJoin('by_contact', 'by_contact.key', 'leads.converted_contact_id')
          .leftJoin('by_email', 'by_email.key', 'leads.email')
          .where('leads.is_deleted', '=', false)
          .select((eb) => [
            'leads.lead_id',
            'leads.converted_contact_id',
            eb.fn
              .coalesce('by_lead.person_id', 'by_contact.person_id', 'by_email.person_id', 'leads.lead_id')
              .as('person_id'),
          ]),
      )
      // The lead converted into a contact (the earliest, should a contact absorb several).
      .with('converted', (qb) =>
        qb
          .selectFrom('lead_people')
          .where('lead_people.converted_contact_id', 'is not', null)
          .select((eb) => [
            'lead_people.converted_contact_id as key',
            eb.fn.min('lead_people.person_id').as('person_id'),
          ])
          .groupBy('lead_people.converted_contact_id'),
      )
      .selectFrom('live_hs')
      .select([
        recordType('hubspot_contact').as('record_type'),
        'live_hs.contact_id as record_id',
        'live_hs.contact_id as person_id',
      ])
      .unionAll((eb) =>
        eb
          .selectFrom('lead_people')
          .select([
            recordType('salesforce_lead').as('record_type'),
            'lead_people.lead_id as record_id',
            'lead_people.person_id',
          ]),
      )
      .unionAll((eb) =>
        eb
          .selectFrom('contacts')
          .leftJoin('by_contact', 'by_contact.key', 'contacts.contact_id')
          .leftJoin('converted', 'converted.key', 'contacts.contact_id')
          .leftJoin('by_email', 'by_email.key', 'contacts.email')
          .where('contacts.is_deleted', '=', false)
          .select((e) => [
            recordType('salesforce_contact').as('record_type'),
            'contacts.contact_id as record_id',
            e.fn
              .coalesce(
                'by_contact.person_id',
                'converted.person_id',
                'by_email.person_id',
                'contacts.contact_id',
              )
              .as('person_id'),
          ]),
      ),
  tests: (t) => [t.unique(['record_type', 'record_id']), t.notNull('person_id')],
})
