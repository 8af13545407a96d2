/**
 * The transforms framework: models as TypeScript modules, built on DuckDB or Athena.
 * Model files import `defineModel`/`defineSource` from here; the CLI uses the rest.
 */
export { buildManifest, type Manifest, writeArtifacts } from './artifacts.js'
export { compileModel } from './compile.js'
export { type CompiledFile, compileProject, renderFile } from './compile-project.js'
export type { DataTest, Severity, TestBuilder, TestResult } from './data-tests.js'
export {
  defineModel,
  type IncrementalContext,
  type Materialization,
  type Model,
  type ModelDefinition,
  type QueryContext,
  type Relation,
  type UnitTest,
} from './define-model.js'
export { defineSource, EnvelopeRow, type Source } from './define-source.js'
export { janitor, promote } from './environments.js'
export { checkFreshness, type FreshnessResult } from './freshness.js'
export { createGraph, type ProjectGraph } from './graph.js'
export type { ColumnName, RowOf } from './relation.js'
export type { ModelResult, ModelStatus, RunEvent, RunResults } from './run-results.js'
export { type BuildOptions, build } from './runner.js'
export { catalogSources, localLakeSources, type SourceBinding } from './sources.js'
export { StateStore } from './state.js'
export { Target, type TargetOptions } from './target.js'
export { type TestProjectOptions, testProject } from './test-project.js'
export { runUnitTests } from './unit-tests.js'
