import { describe, expect, it } from 'vitest'
import type { EntityContract } from '../../../sources/contract.js'
import { salesforceEntities } from '../../../sources/salesforce/salesforce-entities.js'

const entity = (name: string): EntityContract => {
  const found = salesforceEntities.find((e) => e.entity === name)
  if (!found) throw new Error(`no salesforce entity ${name}`)
  return found
}

const opportunityRow = {
  Id: '006A1',
  StageName: 'Closed Won',
  CloseDate: '2024-01-31',
  IsWon: 'true',
  IsClosed: 'TRUE',
  Amount: '1800.50',
  Probability: '',
  IsDeleted: 'false',
  SystemModstamp: '2024-01-31T17:00:00.000+0000',
  Custom__c: 'kept as text',
}

describe('Salesforce contracts', () => {
  it('types the text of a CSV row per field', () => {
    const result = entity('opportunity').check(opportunityRow)
    if (!result.ok) throw new Error(result.reason)
    expect(result.record).toMatchObject({
      IsWon: true,
      IsClosed: true,
      Amount: 1800.5,
      Probability: null,
      CloseDate: '2024-01-31',
      SystemModstamp: '2024-01-31T17:00:00.000Z',
      Custom__c: 'kept as text',
    })
    expect(result).toMatchObject({ id: '006A1', cursor: '2024-01-31T17:00:00.000Z', deleted: false })
  })

  it('reads typed JSON records (REST / Bulk) with the same contract', () => {
    const result = entity('opportunity').check({
      ...opportunityRow,
      IsWon: true,
      IsClosed: true,
      Amount: 1800.5,
      IsDeleted: true,
      attributes: { type: 'Opportunity' },
    })
    expect(result).toMatchObject({ ok: true, deleted: true })
  })

  it('names the field that fails', () => {
    expect(entity('opportunity').check({ ...opportunityRow, Amount: '1,800' })).toMatchObject({
      ok: false,
      reasonClass: 'invalid_field',
      field: 'Amount',
    })
    expect(entity('opportunity').check({ ...opportunityRow, CloseDate: '31/01/2024' })).toMatchObject({
      field: 'CloseDate',
    })
    expect(
      entity('opportunity').check({ ...opportunityRow, SystemModstamp: '2024-01-31 17:00:00' }),
    ).toMatchObject({
      field: 'SystemModstamp',
    })
    expect(entity('opportunity').check({ ...opportunityRow, StageName: '' })).toMatchObject({
      reasonClass: 'missing_field',
      field: 'StageName',
    })
  })

  it('uses CreatedDate as the cursor of OpportunityFieldHistory (it has no SystemModstamp)', () => {
    const result = entity('opportunity_field_history').check({
      Id: '017F1',
      OpportunityId: '006A1',
      Field: 'StageName',
      CreatedDate: '2024-01-31T17:00:00.000Z',
      OldValue: 'Prospecting',
      NewValue: 'Closed Won',
    })
    expect(result).toMatchObject({ ok: true, cursor: '2024-01-31T17:00:00.000Z' })
  })

  it('maps every object of the contract to a lower_snake_case entity', () => {
    expect(salesforceEntities.map((e) => [e.fileNames[0], e.entity])).toEqual([
      ['Account', 'account'],
      ['Contact', 'contact'],
      ['Lead', 'lead'],
      ['Opportunity', 'opportunity'],
      ['OpportunityHistory', 'opportunity_history'],
      ['OpportunityFieldHistory', 'opportunity_field_history'],
      ['Campaign', 'campaign'],
      ['CampaignMember', 'campaign_member'],
      ['User', 'user'],
    ])
  })
})
