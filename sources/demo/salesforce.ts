import type { IdFactory } from './ids.js'
import type { Rng } from './prng.js'
import { DAY, dateKey, HOUR, sfDateTime } from './time.js'

/** Columns as a Data Loader / Bulk API export prints them (field API names). */
export const SF_COLUMNS = {
  User: [
    'Id',
    'Username',
    'FirstName',
    'LastName',
    'Name',
    'Email',
    'Title',
    'Department',
    'IsActive',
    'UserType',
    'ManagerId',
    'CreatedDate',
    'LastModifiedDate',
    'SystemModstamp',
  ],
  Account: [
    'Id',
    'IsDeleted',
    'MasterRecordId',
    'Name',
    'Type',
    'ParentId',
    'BillingCountry',
    'Website',
    'Industry',
    'AnnualRevenue',
    'NumberOfEmployees',
    'AccountSource',
    'OwnerId',
    'CreatedDate',
    'CreatedById',
    'LastModifiedDate',
    'LastModifiedById',
    'SystemModstamp',
  ],
  Contact: [
    'Id',
    'IsDeleted',
    'MasterRecordId',
    'AccountId',
    'LastName',
    'FirstName',
    'Name',
    'Email',
    'Title',
    'LeadSource',
    'MailingCountry',
    'OwnerId',
    'CreatedDate',
    'CreatedById',
    'LastModifiedDate',
    'LastModifiedById',
    'SystemModstamp',
  ],
  Lead: [
    'Id',
    'IsDeleted',
    'MasterRecordId',
    'LastName',
    'FirstName',
    'Name',
    'Title',
    'Company',
    'Email',
    'Website',
    'LeadSource',
    'Status',
    'Industry',
    'NumberOfEmployees',
    'Country',
    'OwnerId',
    'IsConverted',
    'ConvertedDate',
    'ConvertedAccountId',
    'ConvertedContactId',
    'ConvertedOpportunityId',
    'UTM_Source__c',
    'UTM_Medium__c',
    'UTM_Campaign__c',
    'CreatedDate',
    'CreatedById',
    'LastModifiedDate',
    'LastModifiedById',
    'SystemModstamp',
  ],
  Opportunity: [
    'Id',
    'IsDeleted',
    'AccountId',
    'Name',
    'StageName',
    'Amount',
    'Probability',
    'ExpectedRevenue',
    'CloseDate',
    'Type',
    'NextStep',
    'LeadSource',
    'IsClosed',
    'IsWon',
    'ForecastCategory',
    'ForecastCategoryName',
    'CampaignId',
    'HasOpportunityLineItem',
    'OwnerId',
    'CreatedDate',
    'CreatedById',
    'LastModifiedDate',
    'LastModifiedById',
    'SystemModstamp',
    'FiscalQuarter',
    'FiscalYear',
  ],
  OpportunityHistory: [
    'Id',
    'OpportunityId',
    'CreatedById',
    'CreatedDate',
    'StageName',
    'Amount',
    'ExpectedRevenue',
    'CloseDate',
    'Probability',
    'ForecastCategory',
    'PrevAmount',
    'PrevCloseDate',
    'SystemModstamp',
    'IsDeleted',
  ],
  OpportunityFieldHistory: [
    'Id',
    'IsDeleted',
    'OpportunityId',
    'CreatedById',
    'CreatedDate',
    'Field',
    'DataType',
    'OldValue',
    'NewValue',
  ],
  Campaign: [
    'Id',
    'IsDeleted',
    'Name',
    'ParentId',
    'Type',
    'Status',
    'StartDate',
    'EndDate',
    'IsActive',
    'BudgetedCost',
    'ActualCost',
    'External_Campaign_Id__c',
    'UTM_Campaign__c',
    'OwnerId',
    'CreatedDate',
    'LastModifiedDate',
    'SystemModstamp',
  ],
  CampaignMember: [
    'Id',
    'IsDeleted',
    'CampaignId',
    'LeadId',
    'ContactId',
    'LeadOrContactId',
    'Status',
    'HasResponded',
    'FirstRespondedDate',
    'CreatedDate',
    'LastModifiedDate',
    'SystemModstamp',
  ],
} as const

export type SfObject = keyof typeof SF_COLUMNS
export type SfRow<O extends SfObject> = Partial<
  Record<(typeof SF_COLUMNS)[O][number], string | number | boolean | null>
>

export interface StageDef {
  name: string
  probability: number
  /** OpportunityHistory / Opportunity `ForecastCategory` API value. */
  forecastCategory: 'Pipeline' | 'BestCase' | 'Forecast' | 'Closed' | 'Omitted'
  /** `ForecastCategoryName` label. */
  forecastCategoryName: 'Pipeline' | 'Best Case' | 'Commit' | 'Closed' | 'Omitted'
  /** HubSpot stage id of the mirrored deal (sales pipeline). */
  hubspotStage: string
}

export const STAGES: readonly StageDef[] = [
  {
    name: 'Qualification',
    probability: 10,
    forecastCategory: 'Pipeline',
    forecastCategoryName: 'Pipeline',
    hubspotStage: 'qualifiedtobuy',
  },
  {
    name: 'Needs Analysis',
    probability: 20,
    forecastCategory: 'Pipeline',
    forecastCategoryName: 'Pipeline',
    hubspotStage: 'presentationscheduled',
  },
  {
    name: 'Proposal/Price Quote',
    probability: 50,
    forecastCategory: 'BestCase',
    forecastCategoryName: 'Best Case',
    hubspotStage: 'decisionmakerboughtin',
  },
  {
    name: 'Negotiation/Review',
    probability: 80,
    forecastCategory: 'Forecast',
    forecastCategoryName: 'Commit',
    hubspotStage: 'contractsent',
  },
  {
    name: 'Closed Won',
    probability: 100,
    forecastCategory: 'Closed',
    forecastCategoryName: 'Closed',
    hubspotStage: 'closedwon',
  },
  {
    name: 'Closed Lost',
    probability: 0,
    forecastCategory: 'Omitted',
    forecastCategoryName: 'Omitted',
    hubspotStage: 'closedlost',
  },
]
const WON = 4
const LOST = 5

export interface OppSpec {
  accountId: string
  name: string
  ownerId: string
  createdById: string
  createdAt: number
  type: 'New Business' | 'Expansion' | 'Renewal'
  leadSource: string | null
  campaignId: string | null
  amount: number
  /** Forced outcome at `closeAt` (billing-driven opportunities); otherwise simulated. */
  forced?: { won: boolean; closeAt: number }
  /** Chance to win, per stage advance (simulated opportunities). */
  advance?: number
}

export interface StageVisit {
  stage: StageDef
  at: number
}

export interface OppResult {
  id: string
  opportunity: SfRow<'Opportunity'>
  history: SfRow<'OpportunityHistory'>[]
  fieldHistory: SfRow<'OpportunityFieldHistory'>[]
  visits: StageVisit[]
  outcome: 'won' | 'lost' | 'open'
  closedAt: number | null
  amount: number
  closeDate: string
  spec: OppSpec
}

function fiscal(date: string): { q: number; y: number } {
  const y = Number(date.slice(0, 4))
  const m = Number(date.slice(5, 7))
  return { q: Math.floor((m - 1) / 3) + 1, y }
}

/**
 * One opportunity moving through the stages over time. Every change of stage, amount or close
 * date writes an OpportunityHistory row (with the values after the change), and stage/amount/close
 * date changes write OpportunityFieldHistory rows; the current Opportunity row equals the last
 * history row. About one in six that reach Negotiation fall back to Proposal first.
 */
export function simulateOpportunity(ids: IdFactory, rng: Rng, spec: OppSpec, exportAt: number): OppResult {
  const id = ids.salesforce('006')
  const history: SfRow<'OpportunityHistory'>[] = []
  const fieldHistory: SfRow<'OpportunityFieldHistory'>[] = []
  const visits: StageVisit[] = []
  let stageIdx = 0
  let amount = spec.amount
  let closeDate = dateKey(
    spec.createdAt + (spec.forced ? spec.forced.closeAt - spec.createdAt : rng.int(30, 90) * DAY),
  )
  let lastAt = spec.createdAt
  let prevAmount: number | null = null
  let prevClose: string | null = null

  const writeHistory = (at: number) => {
    const st = STAGES[stageIdx] as StageDef
    history.push({
      Id: ids.salesforce('008'),
      OpportunityId: id,
      CreatedById: spec.ownerId,
      CreatedDate: sfDateTime(at),
      StageName: st.name,
      Amount: amount,
      ExpectedRevenue: Math.round((amount * st.probability) / 100),
      CloseDate: closeDate,
      Probability: st.probability,
      ForecastCategory: st.forecastCategory,
      PrevAmount: prevAmount,
      PrevCloseDate: prevClose,
      SystemModstamp: sfDateTime(at),
      IsDeleted: false,
    })
    prevAmount = amount
    prevClose = closeDate
    lastAt = at
  }
  const field = (
    at: number,
    name: string,
    dataType: string,
    oldValue: string | number | null,
    newValue: string | number | null,
  ) => {
    fieldHistory.push({
      Id: ids.salesforce('017'),
      IsDeleted: false,
      OpportunityId: id,
      CreatedById: spec.ownerId,
      CreatedDate: sfDateTime(at),
      Field: name,
      DataType: dataType,
      OldValue: oldValue,
      NewValue: newValue,
    })
  }
  const moveTo = (idx: number, at: number) => {
    const old = STAGES[stageIdx] as StageDef
    stageIdx = idx
    const st = STAGES[idx] as StageDef
    visits.push({ stage: st, at })
    field(at, 'StageName', 'DynamicEnum', old.name, st.name)
  }

  field(spec.createdAt, 'created', 'Text', null, null)
  visits.push({ stage: STAGES[0] as StageDef, at: spec.createdAt })
  writeHistory(spec.createdAt)

  let outcome = 'open' as OppResult['outcome']
  let closedAt: number | null = null
  let fellBack = false
  let t = spec.createdAt
  const close = (won: boolean, at: number) => {
    const newClose = dateKey(at)
    if (newClose !== closeDate) field(at, 'CloseDate', 'Date', closeDate, newClose)
    closeDate = newClose
    moveTo(won ? WON : LOST, at)
    writeHistory(at)
    outcome = won ? 'won' : 'lost'
    closedAt = at
  }

  if (spec.forced) {
    // Billing-driven: Qualification → Proposal → closed at the billing event.
    const mid = spec.createdAt + Math.floor((spec.forced.closeAt - spec.createdAt) / 2)
    if (mid < exportAt && mid > spec.createdAt) {
      moveTo(2, mid)
      writeHistory(mid)
    }
    if (spec.forced.closeAt < exportAt) close(spec.forced.won, spec.forced.closeAt)
  } else {
    const pWin = spec.advance ?? 0.75
    for (;;) {
      t += Math.round(rng.exp(14 * DAY)) + HOUR
      if (t >= exportAt) break
      // The close date slips when the deal runs late.
      if (dateKey(t) > closeDate) {
        const newClose = dateKey(t + rng.int(14, 45) * DAY)
        field(t, 'CloseDate', 'Date', closeDate, newClose)
        closeDate = newClose
        writeHistory(t)
        t += HOUR
      }
      if (!rng.chance(pWin)) {
        close(false, t)
        break
      }
      if (stageIdx === 3) {
        if (!fellBack && rng.chance(0.16)) {
          fellBack = true
          moveTo(2, t)
          writeHistory(t)
          continue
        }
        close(true, t)
        break
      }
      moveTo(stageIdx + 1, t)
      if (stageIdx === 2 && rng.chance(0.6)) {
        const newAmount = Math.max(1000, Math.round((amount * (0.75 + rng.next() * 0.5)) / 100) * 100)
        if (newAmount !== amount) {
          field(t, 'Amount', 'Currency', amount, newAmount)
          amount = newAmount
        }
      }
      writeHistory(t)
    }
  }

  const st = STAGES[stageIdx] as StageDef
  const f = fiscal(closeDate)
  const opportunity: SfRow<'Opportunity'> = {
    Id: id,
    IsDeleted: false,
    AccountId: spec.accountId,
    Name: spec.name,
    StageName: st.name,
    Amount: amount,
    Probability: st.probability,
    ExpectedRevenue: Math.round((amount * st.probability) / 100),
    CloseDate: closeDate,
    Type: spec.type,
    NextStep: outcome === 'open' ? 'Follow up' : null,
    LeadSource: spec.leadSource,
    IsClosed: outcome !== 'open',
    IsWon: outcome === 'won',
    ForecastCategory: st.forecastCategory,
    ForecastCategoryName: st.forecastCategoryName,
    CampaignId: spec.campaignId,
    HasOpportunityLineItem: false,
    OwnerId: spec.ownerId,
    CreatedDate: sfDateTime(spec.createdAt),
    CreatedById: spec.createdById,
    LastModifiedDate: sfDateTime(lastAt),
    LastModifiedById: spec.ownerId,
    SystemModstamp: sfDateTime(lastAt + 60),
    FiscalQuarter: f.q,
    FiscalYear: f.y,
  }
  return { id, opportunity, history, fieldHistory, visits, outcome, closedAt, amount, closeDate, spec }
}
