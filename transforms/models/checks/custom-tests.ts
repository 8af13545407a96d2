import { sql } from 'kysely'
import type { ColumnName, DataTest, Relation, RowOf, Severity, TestBuilder } from '../../framework/index.js'

/**
 * Data tests the framework's builder has no kind for, written against the same `DataTest` seam
 * (a query over `self`, and `other`, whose rows are the failures), so they run, report and compile
 * like the built-in ones. Each takes the model's test builder first, so that `tsc` checks the
 * column names against the model's row type.
 */

const ref = (table: 'self' | 'other', column: string) => sql.ref(`${table}.${column}`)

/** Every value of `other.otherColumn` appears exactly once in `self.column` (a governed grain). */
export function appearsOnce<Row, R extends Relation>(
  _builder: TestBuilder<Row>,
  name: string,
  column: ColumnName<Row>,
  other: R,
  otherColumn: ColumnName<RowOf<R>>,
  severity: Severity = 'error',
): DataTest {
  return {
    name,
    kind: 'relationships',
    severity,
    other,
    failing: (db) =>
      db
        .selectFrom('other')
        .leftJoin(
          db
            .selectFrom('self')
            .select([ref('self', column).as('key'), sql<number>`count(*)`.as('times')])
            .groupBy(ref('self', column))
            .as('counted'),
          (j) => j.on(sql<boolean>`${sql.ref('counted.key')} = ${ref('other', otherColumn)}`),
        )
        .select([
          ref('other', otherColumn).as('key'),
          sql<number>`coalesce(${sql.ref('counted.times')}, 0)`.as('times'),
        ])
        .where(sql<boolean>`coalesce(${sql.ref('counted.times')}, 0) <> 1`),
  }
}

/**
 * Every non-NULL `other.otherColumn` is a value of `self.column`: a foreign key checked from the
 * referenced side, for a model that cannot name this one as a test relation without a cycle.
 */
export function coversKeysOf<Row, R extends Relation>(
  _builder: TestBuilder<Row>,
  name: string,
  column: ColumnName<Row>,
  other: R,
  otherColumn: ColumnName<RowOf<R>>,
  severity: Severity = 'error',
): DataTest {
  return {
    name,
    kind: 'relationships',
    severity,
    other,
    failing: (db) =>
      db
        .selectFrom('other')
        .leftJoin('self', (j) => j.on(sql<boolean>`${ref('self', column)} = ${ref('other', otherColumn)}`))
        .select(ref('other', otherColumn).as('missing_key'))
        .where(ref('other', otherColumn), 'is not', null)
        .where(ref('self', column), 'is', null)
        .distinct(),
  }
}

/** Within each `key`, exactly one row has `flag` TRUE. */
export function exactlyOneFlagged<Row>(
  _builder: TestBuilder<Row>,
  name: string,
  key: ColumnName<Row>,
  flag: ColumnName<Row>,
): DataTest {
  return {
    name,
    kind: 'expression',
    severity: 'error',
    other: undefined,
    failing: (db) =>
      db
        .selectFrom('self')
        .select([
          ref('self', key).as('key'),
          sql<number>`count(CASE WHEN ${ref('self', flag)} THEN 1 END)`.as('flagged'),
        ])
        .groupBy(ref('self', key))
        .having(sql<boolean>`count(CASE WHEN ${ref('self', flag)} THEN 1 END) <> 1`),
  }
}

/**
 * Intervals `[from, to)` of each `key` tile time without overlaps or gaps: each one ends where the
 * next begins, only the last is open (`to` NULL), and none ends before it begins.
 */
export function contiguousIntervals<Row>(
  _builder: TestBuilder<Row>,
  name: string,
  key: ColumnName<Row>,
  from: ColumnName<Row>,
  to: ColumnName<Row>,
): DataTest {
  return {
    name,
    kind: 'expression',
    severity: 'error',
    other: undefined,
    failing: (db) =>
      db
        .selectFrom(
          db
            .selectFrom('self')
            .select([
              ref('self', key).as('key'),
              ref('self', from).as('valid_from'),
              ref('self', to).as('valid_to'),
              sql`lead(${ref('self', from)}) OVER (PARTITION BY ${ref('self', key)} ORDER BY ${ref('self', from)})`.as(
                'next_from',
              ),
            ])
            .as('i'),
        )
        .selectAll('i')
        .where(
          sql<boolean>`(${sql.ref('i.valid_to')} IS NOT NULL AND ${sql.ref('i.valid_to')} <= ${sql.ref('i.valid_from')})
            OR (${sql.ref('i.next_from')} IS NULL AND ${sql.ref('i.valid_to')} IS NOT NULL)
            OR (${sql.ref('i.next_from')} IS NOT NULL AND (${sql.ref('i.valid_to')} IS NULL OR ${sql.ref('i.valid_to')} <> ${sql.ref('i.next_from')}))`,
        ),
  }
}

/**
 * Each row of `self` agrees with the current row (`otherTo` NULL) of its key in `other` on the
 * named columns (NULLs equal), and has one: current values and rebuilt history must tell one story.
 */
export function matchesCurrentRow<Row, R extends Relation>(
  _builder: TestBuilder<Row>,
  name: string,
  key: ColumnName<Row> & ColumnName<RowOf<R>>,
  other: R,
  otherTo: ColumnName<RowOf<R>>,
  columns: readonly (ColumnName<Row> & ColumnName<RowOf<R>>)[],
): DataTest {
  return {
    name,
    kind: 'reconciliation',
    severity: 'error',
    other,
    failing: (db) =>
      db
        .selectFrom('self')
        .leftJoin('other', (j) =>
          j.on(sql<boolean>`${ref('other', key)} = ${ref('self', key)} AND ${ref('other', otherTo)} IS NULL`),
        )
        .select([
          ref('self', key).as('key'),
          ...columns.flatMap((c) => [ref('self', c).as(c), ref('other', c).as(`current_${c}`)]),
        ])
        .where(
          sql<boolean>`${ref('other', key)} IS NULL OR ${sql.join(
            columns.map((c) => sql`${ref('self', c)} IS DISTINCT FROM ${ref('other', c)}`),
            sql` OR `,
          )}`,
        ),
  }
}
