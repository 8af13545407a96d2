import { defineSource } from '../../framework/index.js'

/** Daily ad platform campaign reports as landed by `revops land ads`. */
const ads = (entity: string, description: string) => defineSource({ source: 'ads', entity, description })

export const rawGoogleAds = ads('google_ads', 'Google Ads campaign-day report rows (split by segments).')
export const rawMetaAds = ads('meta_ads', 'Meta (Facebook) Ads campaign-day insights.')
export const rawLinkedinAds = ads('linkedin_ads', 'LinkedIn Ads campaign-group-day analytics.')
export const rawAdSpend = ads(
  'ad_spend',
  'Plain ad spend per channel, campaign and day (any other platform).',
)
