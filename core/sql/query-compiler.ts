import { DefaultQueryCompiler } from 'kysely'

/**
 * Kysely's compiler with `?` placeholders. DuckDB and Athena (Trino) both quote identifiers with
 * double quotes and both accept `?`; Athena fills them from `ExecutionParameters`.
 */
export class RevopsQueryCompiler extends DefaultQueryCompiler {
  protected override getCurrentParameterPlaceholder(): string {
    return '?'
  }
}
