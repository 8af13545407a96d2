import { z } from 'zod'

/** Settings shared by every metric query. */
export const SemanticConfig = z.object({
  /** First month of the fiscal year (1 = calendar); quarters and years follow it. */
  fiscalYearStartMonth: z.number().int().min(1).max(12).default(1),
  /** The day-grain date spine (a mart) that gives every period, so empty periods still appear. */
  timeSpine: z
    .object({ table: z.string(), column: z.string() })
    .default({ table: 'dim_date', column: 'date_day' }),
  /** The currency money metrics are reported in. */
  reportingCurrency: z.string().length(3).default('USD'),
})
export type SemanticConfig = z.infer<typeof SemanticConfig>
