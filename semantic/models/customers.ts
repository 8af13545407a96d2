import { DimCustomer, DimOwner } from '../../transforms/models/marts/contracts.js'
import { defineMartModel } from '../spec/define-mart-model.js'

export const customers = defineMartModel(DimCustomer, {
  name: 'customers',
  table: 'dim_customer',
  description:
    'The governed customer: a billing customer joined to its CRM account (or an unmatched record of either).',
  entities: [
    { name: 'customer', type: 'primary', column: 'customer_id' },
    { name: 'owner', type: 'foreign', column: 'owner_id' },
  ],
  dimensions: [
    {
      name: 'segment',
      column: 'segment',
      description: 'Market segment: smb, mid_market, enterprise or unknown.',
    },
    { name: 'region', column: 'region', description: 'Sales region: na, emea, apac, latam or unknown.' },
    { name: 'industry', column: 'industry', description: 'Industry from the CRM account.' },
    { name: 'customer_currency', column: 'currency', description: 'The currency the customer is billed in.' },
    {
      name: 'acquisition_channel',
      column: 'acquisition_channel',
      description:
        'The channel that first sourced the customer: paid, organic, outbound, partner or unknown.',
    },
    {
      name: 'is_paid_acquired',
      column: 'is_paid_acquired',
      type: 'boolean',
      description: 'Sourced by a paid channel.',
    },
    {
      name: 'match_method',
      column: 'match_method',
      description: 'How the billing customer and CRM account were matched.',
    },
  ],
})

export const owners = defineMartModel(DimOwner, {
  name: 'owners',
  table: 'dim_owner',
  description: 'Sales owners (CRM users).',
  entities: [{ name: 'owner', type: 'primary', column: 'owner_id' }],
  dimensions: [{ name: 'owner_name', column: 'owner_name', description: 'The owner’s name.' }],
})
