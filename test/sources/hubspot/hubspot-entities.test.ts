import { describe, expect, it } from 'vitest'
import { hubspotEntities } from '../../../sources/hubspot/hubspot-entities.js'

const deals = hubspotEntities.find((e) => e.entity === 'deals')

describe('HubSpot contracts', () => {
  const deal = {
    id: '7001',
    properties: {
      dealstage: 'closedwon',
      amount: '1800',
      hs_date_entered_closedwon: '2024-01-31T17:00:00.000Z',
      notes: null,
    },
    createdAt: '2023-12-01T09:00:00.000Z',
    updatedAt: '2024-01-31T17:05:00.000Z',
    archived: false,
  }

  it('accepts CRM v3 objects: updatedAt is the cursor, archived the deleted flag', () => {
    expect(deals?.check(deal)).toMatchObject({
      ok: true,
      id: '7001',
      cursor: '2024-01-31T17:05:00.000Z',
      deleted: false,
    })
    expect(deals?.check({ ...deal, archived: true })).toMatchObject({ ok: true, deleted: true })
  })

  it('rejects a numeric id, a nested property value and a missing updatedAt, naming the field', () => {
    expect(deals?.check({ ...deal, id: 7001 })).toMatchObject({ ok: false, field: 'id' })
    expect(deals?.check({ ...deal, properties: { amount: { value: 1 } } })).toMatchObject({
      ok: false,
      field: 'properties.amount',
    })
    const { updatedAt: _, ...noCursor } = deal
    expect(deals?.check(noCursor)).toMatchObject({
      ok: false,
      reasonClass: 'missing_field',
      field: 'updatedAt',
    })
  })
})
