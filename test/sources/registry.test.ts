import { describe, expect, it } from 'vitest'
import { ENTITIES, parseSource, recogniseFile } from '../../sources/registry.js'

const recognised = (source: Parameters<typeof recogniseFile>[0], name: string) => {
  const result = recogniseFile(source, name)
  return 'reason' in result
    ? result.reason
    : `${result.contract.source}/${result.contract.entity} ${result.format}`
}

describe('export file registry', () => {
  it('maps vendor file names to (source, entity, format)', () => {
    expect(recognised('stripe', 'invoices.jsonl.gz')).toBe('stripe/invoices jsonl')
    expect(recognised('stripe', 'invoice_line_items.json')).toBe('stripe/invoice_line_items json')
    expect(recognised('stripe', 'invoices-2024-01.ndjson')).toBe('stripe/invoices jsonl')
    expect(recognised('salesforce', 'Opportunity.csv')).toBe('salesforce/opportunity csv')
    expect(recognised('salesforce', 'OpportunityFieldHistory.csv.gz')).toBe(
      'salesforce/opportunity_field_history csv',
    )
    expect(recognised('salesforce', 'opportunity_history.csv')).toBe('salesforce/opportunity_history csv')
    expect(recognised('hubspot', 'deal_pipelines.json')).toBe('hubspot/deal_pipelines json')
    expect(recognised('ads', 'google_ads.csv')).toBe('ads/google_ads csv')
    expect(recognised('finance', 'fx_rates.csv')).toBe('finance/fx_rates csv')
    expect(recognised('stripe', 'notes.txt')).toMatch(/not an export file/)
    expect(recognised('stripe', 'Opportunity.csv')).toMatch(/not a stripe export name/)
  })

  it('never maps two entities of a source to the same file name', () => {
    for (const entities of Object.values(ENTITIES)) {
      const names = entities.flatMap((e) => [
        ...new Set(e.fileNames.map((n) => n.toLowerCase().replace(/[_-]/g, ''))),
      ])
      expect(new Set(names).size).toBe(names.length)
      for (const e of entities) expect(e.entity).toMatch(/^[a-z][a-z0-9_]*$/)
    }
  })

  it('rejects an unknown source', () => {
    expect(() => parseSource('zuora')).toThrow(/unknown source "zuora"/)
  })
})
