import { UserError } from '../core/errors.js'
import { adsEntities } from './ads/ads-entities.js'
import { type EntityContract, SOURCE_NAMES, type SourceName } from './contract.js'
import { financeEntities } from './finance/finance-entities.js'
import { hubspotEntities } from './hubspot/hubspot-entities.js'
import { salesforceEntities } from './salesforce/salesforce-entities.js'
import { stripeEntities } from './stripe/stripe-entities.js'

/** Every entity contract, by source. */
export const ENTITIES: Readonly<Record<SourceName, readonly EntityContract[]>> = {
  stripe: stripeEntities,
  salesforce: salesforceEntities,
  hubspot: hubspotEntities,
  ads: adsEntities,
  finance: financeEntities,
}

export type ExportFormat = 'jsonl' | 'json' | 'csv'

export interface RecognisedFile {
  readonly contract: EntityContract
  /** From the extension; `json` may still turn out to be JSON lines (the reader looks). */
  readonly format: ExportFormat
}

const EXTENSIONS: readonly [string, ExportFormat][] = [
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
  ['.json', 'json'],
  ['.csv', 'csv'],
]

export function parseSource(name: string): SourceName {
  const found = SOURCE_NAMES.find((s) => s === name)
  if (found === undefined) throw new UserError(`unknown source "${name}"; one of ${SOURCE_NAMES.join(', ')}`)
  return found
}

export function findEntity(source: SourceName, entity: string): EntityContract | undefined {
  return ENTITIES[source].find((c) => c.entity === entity)
}

/** Names compare without case, "_" and "-": `OpportunityFieldHistory` ~ `opportunity_field_history`. */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '')
}

/**
 * Which entity a file in a `--from` folder holds, by its name: `<name>[-<part>|.<part>].<ext>[.gz]`
 * where `<name>` is one of the entity's file names (`invoices.jsonl.gz`, `Opportunity.csv`,
 * `invoices-2024-01.jsonl`), `<ext>` is jsonl/ndjson, json or csv. Returns why not otherwise.
 */
export function recogniseFile(source: SourceName, fileName: string): RecognisedFile | { reason: string } {
  const base = fileName.split('/').at(-1) ?? fileName
  const unzipped = base.toLowerCase().endsWith('.gz') ? base.slice(0, -3) : base
  const extension = EXTENSIONS.find(([ext]) => unzipped.toLowerCase().endsWith(ext))
  if (extension === undefined) {
    return { reason: 'not an export file (expected .jsonl, .json or .csv, optionally .gz)' }
  }
  const stem = unzipped.slice(0, -extension[0].length)
  const name = normalize(stem.split(/[-.]/)[0] ?? '')
  const contract = ENTITIES[source].find((c) => c.fileNames.some((n) => normalize(n) === name))
  if (contract === undefined) {
    const known = ENTITIES[source].map((c) => c.fileNames[0]).join(', ')
    return { reason: `not a ${source} export name (expected one of ${known})` }
  }
  return { contract, format: extension[1] }
}
