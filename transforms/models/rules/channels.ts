import { type Expression, type RawBuilder, sql } from 'kysely'

/** The channel that brought a person or a touch (the lifecycle and touch facts). */
export const CHANNELS = ['paid', 'organic', 'outbound', 'partner', 'event', 'unknown'] as const
export type Channel = (typeof CHANNELS)[number]

/** The channel that acquired a customer: events count as organic marketing (no media was bought). */
export const ACQUISITION_CHANNELS = ['paid', 'organic', 'outbound', 'partner', 'unknown'] as const

interface TextRule {
  readonly channel: Channel
  /** Lower-cased fragments; the value matches when it contains one. */
  readonly contains: readonly string[]
}

/**
 * The declared rule for free-text sources — Salesforce `LeadSource`, Campaign `Type`, a UTM
 * medium — lower-cased, first match wins (so "Paid Social" is paid before "social" is organic,
 * and "Webinar" is an event before "web" is organic). Anything else is `unknown`.
 */
export const TEXT_RULES: readonly TextRule[] = [
  { channel: 'partner', contains: ['partner', 'referral', 'reseller', 'affiliate'] },
  {
    channel: 'event',
    contains: ['webinar', 'trade show', 'tradeshow', 'conference', 'event', 'seminar', 'meetup'],
  },
  {
    channel: 'paid',
    contains: ['paid', 'ppc', 'cpc', 'advert', 'sponsor', 'display', 'banner', 'review site', 'retarget'],
  },
  {
    channel: 'outbound',
    contains: [
      'outbound',
      'cold call',
      'cold email',
      'prospecting',
      'purchased list',
      'sdr',
      'bdr',
      'direct mail',
    ],
  },
  {
    channel: 'organic',
    contains: [
      'organic',
      'seo',
      'web',
      'direct',
      'email',
      'social',
      'content',
      'blog',
      'word of mouth',
      'inbound',
      'search',
      'newsletter',
      'chat',
    ],
  },
]

/**
 * HubSpot's original source (`hs_analytics_source`) values. Referrals are read as partner
 * referrals and offline sources (imports, CRM sync, manual entry by sales) as outbound;
 * "other campaigns" says nothing about the channel.
 */
export const HUBSPOT_SOURCES: Readonly<Record<string, Channel>> = {
  PAID_SEARCH: 'paid',
  PAID_SOCIAL: 'paid',
  ORGANIC_SEARCH: 'organic',
  DIRECT_TRAFFIC: 'organic',
  SOCIAL_MEDIA: 'organic',
  EMAIL_MARKETING: 'organic',
  AI_REFERRALS: 'organic',
  REFERRALS: 'partner',
  OFFLINE: 'outbound',
  OTHER_CAMPAIGNS: 'unknown',
}

/** The channel of a free-text source (NULL stays NULL, so callers can fall back to the next source). */
export function channelOfText(value: Expression<string | null>): RawBuilder<Channel | null> {
  const lower = sql`lower(${value})`
  const whens = TEXT_RULES.map(
    (rule) =>
      sql`WHEN ${sql.join(
        rule.contains.map((fragment) => sql`${lower} LIKE ${`%${fragment}%`}`),
        sql` OR `,
      )} THEN ${rule.channel}`,
  )
  return sql<Channel | null>`CASE WHEN ${value} IS NULL THEN NULL ${sql.join(whens, sql` `)} ELSE 'unknown' END`
}

/** The channel of a HubSpot original source value (NULL stays NULL). */
export function channelOfHubspotSource(value: Expression<string | null>): RawBuilder<Channel | null> {
  const whens = Object.entries(HUBSPOT_SOURCES).map(
    ([source, channel]) => sql`WHEN ${source} THEN ${channel}`,
  )
  return sql<Channel | null>`CASE WHEN ${value} IS NULL THEN NULL ELSE CASE upper(${value}) ${sql.join(whens, sql` `)} ELSE 'unknown' END END`
}

/** The first known channel among candidates in order of precedence (`unknown` counts as not known). */
export function firstKnownChannel(candidates: readonly Expression<Channel | null>[]): RawBuilder<Channel> {
  const known = candidates.map((c) => sql`nullif(${c}, 'unknown')`)
  return sql<Channel>`coalesce(${sql.join(known, sql`, `)}, 'unknown')`
}

/** A lifecycle channel as an acquisition channel. */
export function acquisitionChannel(channel: Expression<string | null>): RawBuilder<string> {
  return sql<string>`CASE WHEN ${channel} = 'event' THEN 'organic' ELSE coalesce(${channel}, 'unknown') END`
}
