import { type Expression, type RawBuilder, sql } from 'kysely'

/** The platforms with their own report shapes; spend from anywhere else is `other`. */
export const AD_PLATFORMS = ['google_ads', 'meta_ads', 'linkedin_ads', 'other'] as const
export type AdPlatform = (typeof AD_PLATFORMS)[number]

/**
 * `ad_spend.csv` names its channel freely; these spellings (lower-cased) mean a platform that also
 * has its own report, so the mart can keep one of the two rather than count the spend twice.
 */
export const PLATFORM_SPELLINGS: Readonly<Record<Exclude<AdPlatform, 'other'>, readonly string[]>> = {
  google_ads: ['google', 'google_ads', 'google ads', 'adwords'],
  meta_ads: ['meta', 'meta_ads', 'meta ads', 'facebook', 'facebook_ads', 'facebook ads', 'instagram'],
  linkedin_ads: ['linkedin', 'linkedin_ads', 'linkedin ads'],
}

/** The platform of a free-text channel name. */
export function platformOfChannel(channel: Expression<string | null>): RawBuilder<AdPlatform> {
  const whens = Object.entries(PLATFORM_SPELLINGS).map(
    ([platform, spellings]) =>
      sql`WHEN lower(trim(${channel})) IN (${sql.join(spellings.map((s) => sql`${s}`))}) THEN ${platform}`,
  )
  return sql<AdPlatform>`CASE ${sql.join(whens, sql` `)} ELSE 'other' END`
}
