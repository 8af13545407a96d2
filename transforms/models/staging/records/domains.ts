import { type Expression, type RawBuilder, sql } from 'kysely'
import type { SqlDialect } from '../../../../core/sql/dialect.js'

/**
 * The registrable part of a website as people type it (`https://www.Acme.com/about` → `acme.com`),
 * so CRM websites and billing email domains compare equal.
 */
export function websiteDomain(
  dialect: SqlDialect,
  website: Expression<string | null>,
): RawBuilder<string | null> {
  const lower = sql<string | null>`lower(trim(${website}))`
  const noScheme = dialect.regexpReplaceAll(lower, '^[a-z][a-z0-9+.-]*://', '')
  const noWww = dialect.regexpReplaceAll(noScheme, '^www[0-9]*[.]', '')
  const host = dialect.regexpReplaceAll(noWww, '[/?#:].*$', '')
  return sql<string | null>`nullif(${host}, '')`
}

/** The domain of an email address, lower-cased; NULL when the text is not an address. */
export function emailDomain(
  dialect: SqlDialect,
  email: Expression<string | null>,
): RawBuilder<string | null> {
  const lower = sql<string | null>`lower(trim(${email}))`
  return sql<
    string | null
  >`CASE WHEN ${lower} LIKE '%_@_%' THEN nullif(${dialect.regexpReplaceAll(lower, '^.*@', '')}, '') END`
}
