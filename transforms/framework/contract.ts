import { z } from 'zod'
import type { ColumnInfo } from '../../core/engines/engine.js'
import { UserError } from '../../core/errors.js'
import type { ScalarType } from '../../core/sql/dialect.js'
import type { Columns } from './relation.js'

/**
 * Type families: what the contract promises about a column. Engines differ in width and
 * precision (DuckDB HUGEINT for sum(int), Athena timestamp(6), DECIMAL(p,s)), so the contract
 * compares families, not exact type names.
 */
export type TypeFamily = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp'

export interface ContractColumn {
  readonly name: string
  readonly family: TypeFamily
  readonly nullable: boolean
}

/** The portable type a family is cast to when the framework writes typed literals (fixtures, empty tables). */
export const FAMILY_SCALAR: Record<TypeFamily, ScalarType> = {
  string: 'varchar',
  integer: 'bigint',
  number: 'double',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
}

/** The declared columns of a zod object, in order; fails on a type that has no SQL counterpart. */
export function contractColumns(where: string, columns: Columns): ContractColumn[] {
  return Object.entries(columns.shape).map(([name, type]) => {
    let inner = type as z.ZodType
    let nullable = false
    while (inner instanceof z.ZodNullable || inner instanceof z.ZodOptional) {
      nullable = true
      inner = inner.unwrap() as z.ZodType
    }
    const family = familyOf(inner)
    if (family === undefined) {
      throw new UserError(
        `${where}: column ${name} has a type with no SQL counterpart; use string, enum, number, int, boolean, z.iso.date() or z.iso.datetime()`,
      )
    }
    return { name, family, nullable }
  })
}

function familyOf(type: z.ZodType): TypeFamily | undefined {
  if (type instanceof z.ZodISODate) return 'date'
  if (type instanceof z.ZodISODateTime) return 'timestamp'
  if (type instanceof z.ZodString || type instanceof z.ZodEnum) return 'string'
  if (type instanceof z.ZodNumber) return type.format?.includes('int') ? 'integer' : 'number'
  if (type instanceof z.ZodBigInt) return 'integer'
  if (type instanceof z.ZodBoolean) return 'boolean'
  if (type instanceof z.ZodLiteral) {
    const values = [...type.values]
    if (values.every((v) => typeof v === 'string')) return 'string'
    if (values.every((v) => typeof v === 'boolean')) return 'boolean'
    if (values.every((v) => typeof v === 'number'))
      return values.every(Number.isInteger) ? 'integer' : 'number'
  }
  return undefined
}

/** The family of an engine's type name (DuckDB or Athena spelling), or undefined for nested and unknown types. */
export function engineFamily(typeName: string): TypeFamily | 'null' | undefined {
  const type = typeName.trim().toUpperCase()
  if (/^(VARCHAR|CHAR|STRING|TEXT|UUID|JSON|ENUM)\b/.test(type)) return 'string'
  if (
    /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)\b/.test(type)
  )
    return 'integer'
  const decimal = /^DECIMAL\s*\(\s*\d+\s*,\s*(\d+)\s*\)/.exec(type)
  if (decimal) return decimal[1] === '0' ? 'integer' : 'number'
  if (/^(DOUBLE|FLOAT|REAL|DECIMAL)\b/.test(type)) return 'number'
  if (/^BOOL(EAN)?\b/.test(type)) return 'boolean'
  if (/^DATE$/.test(type)) return 'date'
  if (/^TIMESTAMP/.test(type)) return 'timestamp'
  // DuckDB types an all-NULL expression in a view as "NULL": it fits any nullable column.
  if (type === 'NULL') return 'null'
  return undefined
}

/** An integer column fits a `number` contract (money in minor units, counts); nothing else widens. */
function fits(declared: TypeFamily, actual: TypeFamily | 'null' | undefined): boolean {
  if (actual === declared || actual === 'null') return true
  return declared === 'number' && actual === 'integer'
}

/**
 * Compares what the engine built with the declared columns (names and type families, any order).
 * Returns one message listing every problem, or undefined when the contract holds.
 */
export function contractViolation(
  declared: readonly ContractColumn[],
  actual: readonly ColumnInfo[],
): string | undefined {
  const problems: string[] = []
  const built = new Map(actual.map((c) => [c.name, c.type]))
  for (const column of declared) {
    const type = built.get(column.name)
    if (type === undefined) problems.push(`missing column ${column.name} (${column.family})`)
    else if (!fits(column.family, engineFamily(type)))
      problems.push(`column ${column.name} is ${type}, the contract says ${column.family}`)
  }
  const names = new Set(declared.map((c) => c.name))
  for (const column of actual) {
    if (!names.has(column.name)) problems.push(`unexpected column ${column.name} (${column.type})`)
  }
  return problems.length ? problems.join('; ') : undefined
}
