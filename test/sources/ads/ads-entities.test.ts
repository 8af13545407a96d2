import { describe, expect, it } from 'vitest'
import { adsEntities } from '../../../sources/ads/ads-entities.js'

const ads = (name: string) => adsEntities.find((e) => e.entity === name)

describe('ads contracts', () => {
  it('keys a daily report row by date + campaign (+ channel)', () => {
    const meta = {
      date_start: '2024-01-15',
      campaign_id: '2385',
      spend: '212.47',
      impressions: '18000',
      clicks: '95',
      account_currency: 'EUR',
    }
    const result = ads('meta_ads')?.check(meta)
    expect(result).toMatchObject({ ok: true, id: '2024-01-15|2385', cursor: null })
    expect(result?.ok && result.record.spend).toBe(212.47)
    const plain = {
      date: '2024-01-15',
      channel: 'podcast',
      campaign_id: 'pod-q1',
      spend: '1500',
      currency: 'USD',
    }
    expect(ads('ad_spend')?.check(plain)).toMatchObject({ ok: true, id: '2024-01-15|podcast|pod-q1' })
  })

  it('adds Google Ads segment columns to the key so device rows never collapse', () => {
    const row = {
      'segments.date': '2024-01-15',
      'campaign.id': '123',
      'metrics.cost_micros': '15230000',
      'customer.currency_code': 'USD',
    }
    expect(ads('google_ads')?.check(row)).toMatchObject({ ok: true, id: '2024-01-15|123' })
    expect(ads('google_ads')?.check({ ...row, 'segments.device': 'MOBILE' })).toMatchObject({
      id: '2024-01-15|123|MOBILE',
    })
    expect(ads('google_ads')?.check({ ...row, 'metrics.cost_micros': '15.2' })).toMatchObject({
      ok: false,
      field: 'metrics.cost_micros',
    })
  })
})
