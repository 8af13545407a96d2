import { type Expression, type RawBuilder, sql } from 'kysely'

export const SEGMENTS = ['smb', 'mid_market', 'enterprise', 'unknown'] as const

/**
 * The declared segment rule, by the account's employee count: fewer than 100 is SMB, 100 to 999
 * mid-market, 1,000 or more enterprise; no count is `unknown`.
 */
export const SEGMENT_BANDS = { midMarketFrom: 100, enterpriseFrom: 1000 } as const

export function segmentOf(employees: Expression<number | null>): RawBuilder<string> {
  return sql<string>`CASE WHEN ${employees} IS NULL THEN 'unknown' WHEN ${employees} >= ${SEGMENT_BANDS.enterpriseFrom} THEN 'enterprise' WHEN ${employees} >= ${SEGMENT_BANDS.midMarketFrom} THEN 'mid_market' ELSE 'smb' END`
}
