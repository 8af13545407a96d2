import type { z } from 'zod'
import type { ReasonClass } from '../core/lake/quarantine-writer.js'

export const SOURCE_NAMES = ['stripe', 'salesforce', 'hubspot', 'ads', 'finance'] as const
export type SourceName = (typeof SOURCE_NAMES)[number]

/** A record that passed its contract: what the envelope needs, and the typed record itself. */
export interface Accepted {
  readonly ok: true
  readonly id: string
  /** ISO-8601 UTC, or null when the entity has no last-modified field. */
  readonly cursor: string | null
  readonly deleted: boolean
  /** The record after the contract's coercions (text fields of CSV inputs typed), unknown fields kept. */
  readonly record: Record<string, unknown>
}

export interface Rejected {
  readonly ok: false
  readonly reasonClass: Extract<ReasonClass, 'missing_field' | 'invalid_field'>
  /** Dotted path of the first failing field. */
  readonly field: string
  readonly reason: string
}

/** One vendor entity: its file names, zod contract, primary key, cursor and deleted flag. */
export interface EntityContract {
  readonly source: SourceName
  /** lower_snake_case; the raw table is `<source>__<entity>`. */
  readonly entity: string
  /** Export file names (without extensions) that hold this entity, e.g. `Opportunity`, `invoices`. */
  readonly fileNames: readonly string[]
  /** Fields whose values, joined with "|", make `_id`. */
  readonly primaryKey: readonly string[]
  /** The last-modified field that becomes `_updated_at` (documentation; `check` computes it). */
  readonly cursorField: string | null
  /** The field that marks a deleted record (documentation; `check` computes it). */
  readonly deletedField: string | null
  check(value: unknown): Accepted | Rejected
}

export interface EntitySpec<S extends z.ZodType<Record<string, unknown>>> {
  readonly source: SourceName
  readonly entity: string
  readonly fileNames?: readonly string[]
  /** Loose object schema: unknown fields are kept, never rejected. */
  readonly schema: S
  /** Deleted records that carry little more than their id (Stripe's `{id, object, deleted: true}`). */
  readonly tombstone?: Tombstone
  readonly primaryKey: readonly string[]
  /** Computes `_id`; by default the primary key's values joined with "|". */
  readonly id?: (record: z.output<S>) => string
  readonly cursorField: string | null
  readonly cursor: (record: z.output<S>) => string | null
  readonly deletedField: string | null
  readonly deleted: (record: z.output<S>) => boolean
}

export interface Tombstone {
  readonly when: (value: Record<string, unknown>) => boolean
  readonly schema: z.ZodType<Record<string, unknown>>
  readonly cursor: (record: Record<string, unknown>) => string | null
}

export function defineEntity<S extends z.ZodType<Record<string, unknown>>>(
  spec: EntitySpec<S>,
): EntityContract {
  const id = spec.id ?? ((record: z.output<S>) => spec.primaryKey.map((k) => keyPart(record[k])).join('|'))
  return {
    source: spec.source,
    entity: spec.entity,
    fileNames: spec.fileNames ?? [spec.entity],
    primaryKey: spec.primaryKey,
    cursorField: spec.cursorField,
    deletedField: spec.deletedField,
    check(value) {
      try {
        return check(value)
      } catch (error) {
        // A value the contract's own code cannot handle is still bad input, never a crashed land.
        const reason = `contract could not check the record: ${error instanceof Error ? error.message : String(error)}`
        return { ok: false, reasonClass: 'invalid_field', field: '(record)', reason }
      }
    },
  }

  function check(value: unknown): Accepted | Rejected {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return {
        ok: false,
        reasonClass: 'invalid_field',
        field: '(record)',
        reason: `expected an object, got ${preview(value)}`,
      }
    }
    const input = value as Record<string, unknown>
    const tombstone = spec.tombstone?.when(input) ? spec.tombstone : undefined
    if (tombstone) {
      const parsed = tombstone.schema.safeParse(input)
      if (!parsed.success) return rejection(parsed.error.issues, input)
      const record = parsed.data
      return { ok: true, id: keyPart(record.id), cursor: tombstone.cursor(record), deleted: true, record }
    }
    const parsed = spec.schema.safeParse(input)
    if (!parsed.success) return rejection(parsed.error.issues, input)
    const record = parsed.data
    const recordId = id(record)
    if (recordId.replaceAll('|', '') === '') {
      return {
        ok: false,
        reasonClass: 'missing_field',
        field: spec.primaryKey.join('+'),
        reason: `empty primary key ${spec.primaryKey.join(' + ')}`,
      }
    }
    return { ok: true, id: recordId, cursor: spec.cursor(record), deleted: spec.deleted(record), record }
  }
}

function keyPart(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function rejection(issues: readonly z.core.$ZodIssue[], input: Record<string, unknown>): Rejected {
  const issue = issues[0]
  const path = issue?.path ?? []
  const field = path.length === 0 ? '(record)' : path.map(String).join('.')
  const value = valueAt(input, path)
  const message = (issue?.message ?? 'invalid').replace(/^Invalid input: /, '')
  if (value === undefined)
    return { ok: false, reasonClass: 'missing_field', field, reason: `missing ${field}` }
  if ((value === null || value === '') && issue?.code === 'invalid_type') {
    return { ok: false, reasonClass: 'missing_field', field, reason: `${field} is empty` }
  }
  return {
    ok: false,
    reasonClass: 'invalid_field',
    field,
    reason: `${field}: ${message} (got ${preview(value)})`,
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input
  for (const step of path) {
    if (typeof current !== 'object' || current === null) return undefined
    current = (current as Record<PropertyKey, unknown>)[step]
  }
  return current
}

/** A short rendering of a bad value for messages. */
export function preview(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}
