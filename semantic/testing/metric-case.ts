import type { MartName, MartRow } from '../../transforms/models/marts/contracts.js'
import type { MetricQueryInput } from '../spec/query.js'

/**
 * A metric unit test as data: mart rows (any subset of columns; the rest are NULL), a query, and
 * the rows it must return, computed by hand. `revops check` requires every metric to appear in
 * at least one case; `revops test` and the test suite run them all on DuckDB.
 */
export interface MetricCase {
  readonly name: string
  /** Where the expected numbers come from, when they are published (e.g. a vendor's worked example). */
  readonly source?: string
  readonly tables: { readonly [N in MartName]?: readonly Partial<MartRow<N>>[] }
  /** The date spine's range; defaults to the query's `from`..`to`. */
  readonly spine?: { readonly from: string; readonly to: string }
  readonly query: MetricQueryInput & { from: string; to: string }
  /** Rows in order; only the columns named are compared, numbers to 1e-9. */
  readonly expect: readonly Readonly<Record<string, string | number | boolean | null>>[]
}

export function defineMetricCase(metricCase: MetricCase): MetricCase {
  return metricCase
}
