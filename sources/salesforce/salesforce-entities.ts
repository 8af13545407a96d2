import { z } from 'zod'
import { defineEntity, type EntityContract } from '../contract.js'
import {
  boolean,
  date,
  dateTime,
  integer,
  number,
  requiredBoolean,
  requiredDate,
  requiredDateTime,
  requiredText,
  text,
} from '../fields.js'

/**
 * Salesforce objects as Data Loader / Bulk API export them: one CSV per object named by its API
 * name, columns named by field API names, every value text. The contract types the fields that
 * staging reads (booleans, numbers, dates, date-times normalized to UTC); other columns are kept as
 * text. The same contract reads REST/Bulk JSON records, whose values are already typed.
 *
 * Cursor: `SystemModstamp` (indexed, never earlier than LastModifiedDate, bumped by system
 * changes too); OpportunityFieldHistory rows are immutable and have only `CreatedDate`.
 * Deleted: `IsDeleted` (queryAll / Bulk exports include recycle-bin rows).
 */

type SalesforceRecord = { IsDeleted?: boolean | null | undefined } & Record<string, unknown>

function salesforceEntity(
  apiName: string,
  entity: string,
  fields: z.core.$ZodLooseShape,
  cursorField: 'SystemModstamp' | 'CreatedDate' = 'SystemModstamp',
): EntityContract {
  const schema = z.looseObject({
    Id: requiredText(),
    IsDeleted: boolean(),
    CreatedDate: dateTime(),
    LastModifiedDate: dateTime(),
    SystemModstamp: cursorField === 'SystemModstamp' ? requiredDateTime() : dateTime(),
    ...fields,
    ...(cursorField === 'CreatedDate' ? { CreatedDate: requiredDateTime() } : {}),
  })
  return defineEntity({
    source: 'salesforce',
    entity,
    fileNames: [apiName, entity],
    schema,
    primaryKey: ['Id'],
    cursorField,
    cursor: (record: SalesforceRecord) => {
      const value = record[cursorField]
      return typeof value === 'string' ? value : null
    },
    deletedField: 'IsDeleted',
    deleted: (record: SalesforceRecord) => record.IsDeleted === true,
  })
}

export const salesforceEntities: readonly EntityContract[] = [
  salesforceEntity('Account', 'account', {
    Name: text(),
    Type: text(),
    Industry: text(),
    AnnualRevenue: number(),
    NumberOfEmployees: integer(),
    ParentId: text(),
    OwnerId: text(),
    AccountSource: text(),
    BillingCountry: text(),
  }),
  salesforceEntity('Contact', 'contact', {
    AccountId: text(),
    OwnerId: text(),
    Email: text(),
    LeadSource: text(),
    Title: text(),
  }),
  salesforceEntity('Lead', 'lead', {
    Status: text(),
    LeadSource: text(),
    OwnerId: text(),
    Company: text(),
    Email: text(),
    Industry: text(),
    IsConverted: boolean(),
    ConvertedDate: date(),
    ConvertedAccountId: text(),
    ConvertedContactId: text(),
    ConvertedOpportunityId: text(),
    NumberOfEmployees: integer(),
    AnnualRevenue: number(),
  }),
  salesforceEntity('Opportunity', 'opportunity', {
    AccountId: text(),
    OwnerId: text(),
    Name: text(),
    StageName: requiredText(),
    CloseDate: requiredDate(),
    IsClosed: requiredBoolean(),
    IsWon: requiredBoolean(),
    Amount: number(),
    Probability: number(),
    ExpectedRevenue: number(),
    ForecastCategoryName: text(),
    Type: text(),
    LeadSource: text(),
    CampaignId: text(),
    CurrencyIsoCode: text(),
  }),
  salesforceEntity('OpportunityHistory', 'opportunity_history', {
    OpportunityId: requiredText(),
    StageName: text(),
    Amount: number(),
    CloseDate: date(),
    Probability: number(),
    ExpectedRevenue: number(),
    ForecastCategory: text(),
    PrevAmount: number(),
    PrevCloseDate: date(),
  }),
  salesforceEntity(
    'OpportunityFieldHistory',
    'opportunity_field_history',
    {
      OpportunityId: requiredText(),
      Field: requiredText(),
      DataType: text(),
      OldValue: text(),
      NewValue: text(),
      CreatedById: text(),
    },
    'CreatedDate',
  ),
  salesforceEntity('Campaign', 'campaign', {
    Name: text(),
    Type: text(),
    Status: text(),
    StartDate: date(),
    EndDate: date(),
    IsActive: boolean(),
    ParentId: text(),
    BudgetedCost: number(),
    ActualCost: number(),
    ExpectedRevenue: number(),
    NumberOfLeads: integer(),
    NumberOfConvertedLeads: integer(),
    NumberOfOpportunities: integer(),
    NumberOfWonOpportunities: integer(),
    AmountAllOpportunities: number(),
    AmountWonOpportunities: number(),
  }),
  salesforceEntity('CampaignMember', 'campaign_member', {
    CampaignId: requiredText(),
    LeadId: text(),
    ContactId: text(),
    Status: text(),
    HasResponded: boolean(),
    FirstRespondedDate: date(),
  }),
  salesforceEntity('User', 'user', {
    Name: text(),
    Email: text(),
    IsActive: boolean(),
    UserRoleId: text(),
    ManagerId: text(),
    Title: text(),
    Department: text(),
  }),
]
