import type { StageVisit } from './salesforce.js'
import { isoZ } from './time.js'

/** HubSpot's default lifecycle stages in order (internal values). */
export const LIFECYCLE = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
] as const
export type Lifecycle = (typeof LIFECYCLE)[number]

type Json = Record<string, unknown>

/** The sales pipeline mirrors Salesforce stages; renewals live in a custom pipeline with numeric stage ids. */
export const PIPELINES = [
  {
    id: 'default',
    label: 'Sales Pipeline',
    stages: [
      { id: 'qualifiedtobuy', label: 'Qualification', probability: '0.1', isClosed: 'false' },
      { id: 'presentationscheduled', label: 'Needs Analysis', probability: '0.2', isClosed: 'false' },
      { id: 'decisionmakerboughtin', label: 'Proposal/Price Quote', probability: '0.5', isClosed: 'false' },
      { id: 'contractsent', label: 'Negotiation/Review', probability: '0.8', isClosed: 'false' },
      { id: 'closedwon', label: 'Closed won', probability: '1.0', isClosed: 'true' },
      { id: 'closedlost', label: 'Closed lost', probability: '0.0', isClosed: 'true' },
    ],
  },
  {
    id: '31884251',
    label: 'Renewals',
    stages: [
      { id: '75123001', label: 'Renewal due', probability: '0.5', isClosed: 'false' },
      { id: '75123002', label: 'Renewal quoted', probability: '0.8', isClosed: 'false' },
      { id: '75123003', label: 'Renewed', probability: '1.0', isClosed: 'true' },
      { id: '75123004', label: 'Churned', probability: '0.0', isClosed: 'true' },
    ],
  },
] as const

const RENEWAL_STAGE: Record<string, string> = {
  qualifiedtobuy: '75123001',
  presentationscheduled: '75123001',
  decisionmakerboughtin: '75123002',
  contractsent: '75123002',
  closedwon: '75123003',
  closedlost: '75123004',
}

export function pipelineJson(created: number): Json[] {
  return PIPELINES.map((p, i) => ({
    id: p.id,
    label: p.label,
    displayOrder: i,
    stages: p.stages.map((s, j) => ({
      id: s.id,
      label: s.label,
      displayOrder: j,
      metadata: { isClosed: s.isClosed, probability: s.probability },
      createdAt: isoZ(created),
      updatedAt: isoZ(created),
      archived: false,
    })),
    createdAt: isoZ(created),
    updatedAt: isoZ(created),
    archived: false,
  }))
}

export interface ContactSpec {
  id: string
  email: string
  firstName: string
  lastName: string
  company: string
  jobTitle: string
  createdAt: number
  /** First time entered each stage; a skipped stage is absent. */
  stages: Partial<Record<Lifecycle, number>>
  source: string
  sourceData1: string | null
  sourceData2: string | null
  firstUrl: string | null
  companyId: string | null
  salesforceLeadId: string | null
  salesforceContactId: string | null
  ownerId: string | null
}

/** A CRM v3 contact: lifecycle dates both as the legacy `hs_lifecyclestage_*_date` and the `hs_v2_date_entered_*` properties. */
export function contactJson(c: ContactSpec, exportAt: number): Json {
  const entered = LIFECYCLE.filter((s) => c.stages[s] !== undefined && (c.stages[s] ?? 0) < exportAt)
  const current = entered.at(-1) ?? 'lead'
  let updated = c.createdAt
  const props: Record<string, string | null> = {
    createdate: isoZ(c.createdAt),
    email: c.email,
    firstname: c.firstName,
    lastname: c.lastName,
    company: c.company,
    jobtitle: c.jobTitle,
    hs_object_id: c.id,
    lifecyclestage: current,
    hs_analytics_source: c.source,
    hs_analytics_source_data_1: c.sourceData1,
    hs_analytics_source_data_2: c.sourceData2,
    hs_analytics_first_url: c.firstUrl,
    associatedcompanyid: c.companyId,
    hubspot_owner_id: c.ownerId,
    salesforceleadid: c.salesforceLeadId,
    salesforcecontactid: c.salesforceContactId,
  }
  entered.forEach((s, i) => {
    const at = c.stages[s] as number
    updated = Math.max(updated, at)
    props[`hs_lifecyclestage_${s}_date`] = isoZ(at)
    props[`hs_v2_date_entered_${s}`] = isoZ(at)
    const next = entered[i + 1]
    if (next !== undefined) props[`hs_v2_date_exited_${s}`] = isoZ(c.stages[next] as number)
  })
  props.lastmodifieddate = isoZ(updated)
  const out: Json = {
    id: c.id,
    properties: props,
    createdAt: isoZ(c.createdAt),
    updatedAt: isoZ(updated),
    archived: false,
  }
  if (c.companyId)
    out.associations = { companies: { results: [{ id: c.companyId, type: 'contact_to_company' }] } }
  return out
}

export function companyJson(
  id: string,
  name: string,
  domain: string,
  industry: string,
  employees: number,
  createdAt: number,
  lifecycle: Lifecycle,
  salesforceAccountId: string | null,
): Json {
  return {
    id,
    properties: {
      createdate: isoZ(createdAt),
      domain,
      hs_lastmodifieddate: isoZ(createdAt),
      hs_object_id: id,
      industry: industry.toUpperCase().replace(/ /g, '_'),
      lifecyclestage: lifecycle,
      name,
      numberofemployees: String(employees),
      salesforceaccountid: salesforceAccountId,
    },
    createdAt: isoZ(createdAt),
    updatedAt: isoZ(createdAt),
    archived: false,
  }
}

/**
 * A deal mirroring a Salesforce opportunity. `hs_date_entered_<stageId>` holds the LAST time the
 * deal entered that stage (HubSpot overwrites it on re-entry), `hs_date_exited_<stageId>` the last exit.
 */
export function dealJson(args: {
  id: string
  name: string
  amount: number
  closeDate: string
  createdAt: number
  visits: StageVisit[]
  renewal: boolean
  dealType: 'newbusiness' | 'existingbusiness'
  companyId: string | null
  ownerId: string | null
  salesforceOpportunityId: string
}): Json {
  const pipeline = args.renewal ? '31884251' : 'default'
  const stageId = (s: string) => (args.renewal ? (RENEWAL_STAGE[s] ?? s) : s)
  const props: Record<string, string | null> = {
    amount: String(args.amount),
    closedate: `${args.closeDate}T00:00:00.000Z`,
    createdate: isoZ(args.createdAt),
    dealname: args.name,
    dealtype: args.dealType,
    hs_object_id: args.id,
    hubspot_owner_id: args.ownerId,
    pipeline,
    salesforceopportunityid: args.salesforceOpportunityId,
  }
  let last = args.createdAt
  args.visits.forEach((v, i) => {
    const sid = stageId(v.stage.hubspotStage)
    props[`hs_date_entered_${sid}`] = isoZ(v.at)
    props[`hs_v2_date_entered_${sid}`] = isoZ(v.at)
    const next = args.visits[i + 1]
    if (next) {
      props[`hs_date_exited_${sid}`] = isoZ(next.at)
      props[`hs_v2_date_exited_${sid}`] = isoZ(next.at)
    }
    last = Math.max(last, v.at)
  })
  const current = args.visits.at(-1)
  const currentId = current ? stageId(current.stage.hubspotStage) : stageId('qualifiedtobuy')
  props.dealstage = currentId
  props.hs_is_closed = String(current?.stage.name.startsWith('Closed') ?? false)
  props.hs_is_closed_won = String(current?.stage.name === 'Closed Won')
  props.hs_lastmodifieddate = isoZ(last)
  const out: Json = {
    id: args.id,
    properties: props,
    createdAt: isoZ(args.createdAt),
    updatedAt: isoZ(last),
    archived: false,
  }
  if (args.companyId)
    out.associations = { companies: { results: [{ id: args.companyId, type: 'deal_to_company' }] } }
  return out
}
