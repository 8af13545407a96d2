import { join } from 'node:path'

/** The benchmark's folder layout under its work folder (one per scale and seed). */
export function benchPaths(work: string) {
  return {
    work,
    exports: join(work, 'exports'),
    nextDay: join(work, 'next-day'),
    lake: join(work, 'lake'),
    warehouse: join(work, 'warehouse.duckdb'),
    artifacts: join(work, 'artifacts'),
    limitLake: join(work, 'limit-lake'),
    limitWarehouse: join(work, 'limit.duckdb'),
    limitNextWarehouse: join(work, 'limit-next.duckdb'),
    answers: join(work, 'answers'),
    parquet: join(work, 'parquet'),
    logs: join(work, 'logs'),
    stageResults: join(work, 'stages'),
  }
}
export type BenchPaths = ReturnType<typeof benchPaths>

/** What every stage is given (JSON on its command line). */
export interface StageOptions {
  readonly work: string
  readonly scale: number
  readonly seed: number
  /** Warm repetitions of each query. */
  readonly repeat: number
}

/** The demo company's export sources, in landing order. */
export const SOURCES = ['stripe', 'salesforce', 'hubspot', 'ads', 'finance'] as const
