import { type Expression, type RawBuilder, sql } from 'kysely'

/**
 * Mailbox providers: a billing email at one of these says nothing about the company, so neither
 * domain matching nor company grouping uses them.
 */
export const FREE_EMAIL_DOMAINS = [
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.co.jp',
  'yahoo.co.uk',
  'yahoo.fr',
  'hotmail.com',
  'hotmail.co.uk',
  'outlook.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  't-online.de',
  'orange.fr',
  'free.fr',
  'mail.ru',
  'yandex.ru',
  'qq.com',
  '163.com',
  'naver.com',
] as const

/** The domain, or NULL when it is a mailbox provider's. */
export function companyDomain(domain: Expression<string | null>): RawBuilder<string | null> {
  return sql<
    string | null
  >`CASE WHEN ${domain} IN (${sql.join(FREE_EMAIL_DOMAINS.map((d) => sql`${d}`))}) THEN NULL ELSE ${domain} END`
}
