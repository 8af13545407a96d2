import { type Expression, type RawBuilder, sql } from 'kysely'

/**
 * Forecast categories by their labels (`ForecastCategoryName`: Pipeline, Best Case, Commit,
 * Closed, Omitted). OpportunityHistory stores the API values instead (`BestCase`, `Forecast` for
 * Commit, `MostLikely`), so history and current state are compared in one spelling.
 */
export const FORECAST_CATEGORY_LABELS: Readonly<Record<string, string>> = {
  BestCase: 'Best Case',
  Forecast: 'Commit',
  MostLikely: 'Most Likely',
  // HubSpot's forecast category values.
  PIPELINE: 'Pipeline',
  BEST_CASE: 'Best Case',
  COMMIT: 'Commit',
  CLOSED: 'Closed',
  OMIT: 'Omitted',
}

/** The label of a forecast category given as an API value or a label. */
export function forecastCategoryLabel(value: Expression<string | null>): RawBuilder<string | null> {
  const cases = Object.entries(FORECAST_CATEGORY_LABELS).map(([api, label]) => sql`WHEN ${api} THEN ${label}`)
  return sql<string | null>`CASE ${value} ${sql.join(cases, sql` `)} ELSE ${value} END`
}
