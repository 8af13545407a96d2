/**
 * The Salesforce sales path: every stage in order, whether it is closed or won, and whether an
 * opportunity in it counts as qualified. Salesforce does not export its stage settings
 * (OpportunityStage), so they are declared here: Salesforce's default stages, in their default
 * order. Rename or add stages to match the org; a stage found in the data but missing here fails
 * the `relationships` test on the opportunity marts.
 *
 * Qualified (the declared rule): at or past the qualification gate — Needs Analysis and every
 * later open stage, and Closed Won; never Closed Lost by itself. An opportunity stays qualified
 * once it has been (the history marts carry it forward).
 */
export interface SalesStage {
  readonly stage: string
  /** Position on the sales path; the won and lost ends come after every open stage. */
  readonly order: number
  readonly isClosed: boolean
  readonly isWon: boolean
  readonly isQualified: boolean
}

const open = (stage: string, order: number, isQualified: boolean): SalesStage => ({
  stage,
  order,
  isClosed: false,
  isWon: false,
  isQualified,
})

export const SALESFORCE_STAGES: readonly SalesStage[] = [
  open('Prospecting', 1, false),
  open('Qualification', 2, false),
  open('Needs Analysis', 3, true),
  open('Value Proposition', 4, true),
  open('Id. Decision Makers', 5, true),
  open('Perception Analysis', 6, true),
  open('Proposal/Price Quote', 7, true),
  open('Negotiation/Review', 8, true),
  { stage: 'Closed Won', order: 9, isClosed: true, isWon: true, isQualified: true },
  { stage: 'Closed Lost', order: 10, isClosed: true, isWon: false, isQualified: false },
]

/**
 * HubSpot pipelines carry their own stage order and win probability; an open stage is qualified
 * from this probability on (the same gate as Needs Analysis on the Salesforce path).
 */
export const HUBSPOT_QUALIFIED_PROBABILITY = 0.2
