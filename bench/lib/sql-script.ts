import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { ENVELOPE_COLUMNS } from '../../core/lake/envelope.js'

/** One named block of a hand-written SQL script (`-- step: <name>` or `-- metric: <id>`). */
export interface ScriptBlock {
  readonly name: string
  readonly statements: readonly string[]
}

/**
 * Splits a script into its named blocks and each block into statements (a statement ends with a
 * `;` at the end of a line). Text before the first marker is a header and is dropped.
 */
export function parseSqlScript(text: string, marker: 'step' | 'metric'): ScriptBlock[] {
  const blocks: { name: string; body: string[] }[] = []
  const heading = new RegExp(`^--\\s*${marker}:\\s*(.+?)\\s*$`)
  for (const line of text.split('\n')) {
    const match = heading.exec(line)
    if (match) blocks.push({ name: match[1] as string, body: [] })
    else blocks.at(-1)?.body.push(line)
  }
  return blocks.map((b) => ({ name: b.name, statements: splitStatements(b.body.join('\n')) }))
}

export function splitStatements(text: string): string[] {
  return text
    .split(/;[ \t]*$/m)
    .map((s) => stripComments(s).trim())
    .filter((s) => s.length > 0)
}

function stripComments(sql: string): string {
  return sql
    .split('\n')
    .filter((l) => !/^\s*--/.test(l))
    .join('\n')
}

/**
 * Replaces each `${raw:<source>/<entity>}` with a read of that entity's landed files in the lake
 * folder (every ingest date), or with an empty relation of the envelope's columns when none landed.
 */
export function expandRawReads(sql: string, lakeDir: string, hasFiles = entityHasFiles): string {
  return sql.replace(/\$\{raw:([a-z_]+)\/([a-z_]+)\}/g, (_, source: string, entity: string) => {
    const folder = join(lakeDir, 'raw', `source=${source}`, `entity=${entity}`)
    if (!hasFiles(folder)) return `(${emptyEnvelope()})`
    const columns = ENVELOPE_COLUMNS.map((c) => `'${c.name}': '${c.type.toUpperCase()}'`).join(', ')
    const glob = `${folder}/*/*.jsonl.gz`.replaceAll("'", "''")
    return `read_json('${glob}', format = 'newline_delimited', columns = {${columns}})`
  })
}

function emptyEnvelope(): string {
  const columns = ENVELOPE_COLUMNS.map((c) => `CAST(NULL AS ${c.type.toUpperCase()}) AS ${c.name}`)
  return `SELECT ${columns.join(', ')} WHERE false`
}

function entityHasFiles(folder: string): boolean {
  if (!existsSync(folder)) return false
  return readdirSync(folder, { recursive: true }).some((f) => String(f).endsWith('.jsonl.gz'))
}
