import { sql } from 'kysely'
import { defineModel } from '../../framework/index.js'
import { intOpportunities } from '../intermediate/int-opportunities.js'
import { stgSalesforceUser } from '../staging/salesforce/stg-salesforce-user.js'
import { DimOwner } from './contracts.js'

/**
 * Sales owners: the Salesforce users, plus any owner id an opportunity names that no user export
 * has (HubSpot owners, users missing from the export) as an inactive owner without a name, so a
 * join on owners never drops an opportunity.
 */
export const dimOwner = defineModel({
  name: 'dim_owner',
  layer: 'marts',
  materialized: 'table',
  description: 'Sales owners (CRM users), and unknown owner ids named by opportunities.',
  inputs: { users: stgSalesforceUser, opps: intOpportunities },
  columns: DimOwner,
  query: ({ db }) =>
    db
      .selectFrom('users')
      .select([
        'users.user_id as owner_id',
        'users.user_name as owner_name',
        'users.email',
        'users.is_active',
      ])
      .unionAll(
        db
          .selectFrom('opps')
          .leftJoin('users', 'users.user_id', 'opps.owner_id')
          .where('opps.owner_id', 'is not', null)
          .where('users.user_id', 'is', null)
          .select([
            sql<string>`${sql.ref('opps.owner_id')}`.as('owner_id'),
            sql<string | null>`CAST(NULL AS VARCHAR)`.as('owner_name'),
            sql<string | null>`CAST(NULL AS VARCHAR)`.as('email'),
            sql<boolean>`FALSE`.as('is_active'),
          ])
          .distinct(),
      ),
  tests: (t) => [t.unique('owner_id')],
})
