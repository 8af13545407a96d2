import { type Expression, type RawBuilder, sql } from 'kysely'
import { channelOfText } from './channels.js'

/** The lead-source channels that count as marketing (partner and outbound do not). */
export const MARKETING_CHANNELS = ['paid', 'organic', 'event'] as const

/**
 * The declared rule "marketing-sourced v1": an opportunity is marketing-sourced when its lead
 * source is a marketing channel (paid, organic or event by rules/channels.ts) or it names an
 * originating campaign (Salesforce's primary campaign source, `CampaignId`).
 */
export function isMarketingSourced(
  leadSource: Expression<string | null>,
  campaignId: Expression<string | null>,
): RawBuilder<boolean> {
  return sql<boolean>`(${campaignId} IS NOT NULL OR coalesce(${channelOfText(leadSource)} IN (${sql.join(
    MARKETING_CHANNELS.map((c) => sql`${c}`),
  )}), FALSE))`
}

export const MARKETING_SOURCED_RULE =
  'marketing-sourced v1: a marketing lead source (paid, organic or event) or an originating campaign'
