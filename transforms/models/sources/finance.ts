import { defineSource } from '../../framework/index.js'

/**
 * Finance's own inputs (sources/finance/finance-entities.ts): small CSVs landed by
 * `revops land finance`. The payload is the typed row (months normalised to their first day).
 */
const finance = (entity: string, description: string) =>
  defineSource({ source: 'finance', entity, description })

export const financeSources = {
  smExpense: finance('sm_expense', 'Sales and marketing expense per month and currency.'),
  grossMargin: finance('gross_margin', 'Gross margin per month, as a fraction.'),
  quotas: finance('quotas', 'Sales quotas per owner and quota period.'),
  fxRates: finance('fx_rates', 'Daily exchange rates to the reporting currency.'),
  accountMap: finance('account_map', 'The governed map from CRM accounts to billing customers.'),
} as const
