import type { TestResult } from './data-tests.js'

/**
 * `success`: built now; `reused`: its table for this fingerprint already existed; `error`: the
 * build failed; `test_failure`: built, but an error-severity test failed (not promoted, its
 * downstream skipped); `skipped`: an upstream model did not succeed.
 */
export type ModelStatus = 'success' | 'reused' | 'error' | 'test_failure' | 'skipped'

export interface ModelResult {
  readonly model: string
  readonly status: ModelStatus
  readonly materialized: string
  /** Code fingerprint. */
  readonly fingerprint: string
  readonly physical: string
  /** How the table was made: from the query, or seeded from an earlier build and extended. */
  readonly action: 'reused' | 'full' | 'incremental' | undefined
  readonly seededFrom: string | undefined
  readonly rows: number | null
  readonly seconds: number
  /** Bytes the engine scanned for the build and its tests (Athena; 0 on DuckDB). */
  readonly bytesScanned: number
  readonly error: string | undefined
  readonly tests: readonly TestResult[]
}

/** What a `build` or `test` did, written as `run_results.json`. */
export interface RunResults {
  readonly command: 'build' | 'test'
  readonly environment: string
  readonly dialect: string
  readonly startedAt: string
  readonly finishedAt: string
  readonly models: readonly ModelResult[]
  /** Checks not tied to a model build: freshness of sources, unit tests, tests of `revops test`. */
  readonly checks: readonly TestResult[]
  /** True when nothing failed with error severity. */
  readonly ok: boolean
}

/** Progress, one event per step, for a terminal (the CLI prints them). */
export type RunEvent =
  | { readonly kind: 'model_started'; readonly model: string; readonly index: number; readonly total: number }
  | {
      readonly kind: 'model_finished'
      readonly result: ModelResult
      readonly index: number
      readonly total: number
    }
  | { readonly kind: 'check_finished'; readonly result: TestResult }
