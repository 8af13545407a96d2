import type { SqlDialect } from '../../core/sql/dialect.js'
import { compileMetricQuery } from '../../semantic/answer.js'
import type { Catalog } from '../../semantic/catalog.js'
import type { MetricQueryInput } from '../../semantic/spec/query.js'

/** The name of the extra query that asks the funnel's three metrics at once (not a catalog metric). */
export const FUNNEL_QUERY = 'leads,mqls,sqls'

export interface CatalogQuery {
  readonly metric: string
  readonly input: MetricQueryInput
  readonly bySegment: boolean
}

/**
 * The whole metric catalog at month grain, each metric by segment where its semantic model can
 * reach the customer's segment, and over all rows otherwise (marketing spend, finance inputs,
 * quotas and the funnel have no customer).
 */
export function catalogQueries(catalog: Catalog, dialect: SqlDialect): CatalogQuery[] {
  return catalog.metrics.map((m) => {
    const bySegment: MetricQueryInput = { metrics: [m.id], dimensions: ['segment'], grain: 'month' }
    try {
      compileMetricQuery(catalog, bySegment, dialect)
      return { metric: m.id, input: bySegment, bySegment: true }
    } catch {
      return { metric: m.id, input: { metrics: [m.id], grain: 'month' }, bySegment: false }
    }
  })
}
