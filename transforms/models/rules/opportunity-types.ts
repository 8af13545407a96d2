import { type Expression, type RawBuilder, sql } from 'kysely'

export const OPPORTUNITY_TYPES = ['new_business', 'expansion', 'renewal', 'other'] as const
export type OpportunityType = (typeof OPPORTUNITY_TYPES)[number]

/**
 * The declared rule from the CRM's own type (Salesforce `Type`, HubSpot `dealtype`), lower-cased,
 * first match wins; a deal in a pipeline whose name mentions renewals is a renewal. No type at all
 * is `other`: nothing says the deal is new.
 */
export const OPPORTUNITY_TYPE_RULES: readonly { type: OpportunityType; contains: readonly string[] }[] = [
  { type: 'renewal', contains: ['renewal', 'renew'] },
  {
    type: 'expansion',
    contains: [
      'expansion',
      'upgrade',
      'upsell',
      'up-sell',
      'cross-sell',
      'cross sell',
      'add-on',
      'add on',
      'existingbusiness',
      'existing business',
    ],
  },
  { type: 'new_business', contains: ['new business', 'newbusiness', 'new customer', 'new logo', 'new'] },
]

export function opportunityType(
  crmType: Expression<string | null>,
  pipelineLabel: Expression<string | null>,
): RawBuilder<OpportunityType> {
  const lower = sql`lower(${crmType})`
  const whens = OPPORTUNITY_TYPE_RULES.map(
    (rule) =>
      sql`WHEN ${sql.join(
        rule.contains.map((fragment) => sql`${lower} LIKE ${`%${fragment}%`}`),
        sql` OR `,
      )} THEN ${rule.type}`,
  )
  return sql<OpportunityType>`CASE WHEN lower(${pipelineLabel}) LIKE '%renew%' THEN 'renewal' ${sql.join(whens, sql` `)} ELSE 'other' END`
}
