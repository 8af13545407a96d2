import { UserError } from '../../core/errors.js'
import { LakeStoreError } from '../../core/lake/lake-store.js'
import { LocalLakeStore } from '../../core/lake/local-lake-store.js'
import type { SourceName } from '../../sources/contract.js'
import type { PullSummary } from '../../sources/landing/pull-report.js'
import { runPull, type SourcePull } from '../../sources/landing/pull-source.js'
import { parseSource } from '../../sources/registry.js'
import type { CliContext } from '../context.js'
import { formatTable, writeJson } from '../output.js'

/** Each pullable source, loaded only when pulled (one vendor SDK at a time). */
const PULLS: Partial<Record<SourceName, () => Promise<SourcePull>>> = {
  stripe: async () => (await import('../../sources/stripe/pull-stripe.js')).stripeSourcePull,
  hubspot: async () => (await import('../../sources/hubspot/pull-hubspot.js')).hubspotSourcePull,
  salesforce: async () => (await import('../../sources/salesforce/pull-salesforce.js')).salesforceSourcePull,
  ads: async () => (await import('../../sources/ads/pull-ads.js')).adsSourcePull,
}

/** Examples printed per quarantine reason (the JSON output and the quarantine itself have more). */
const EXAMPLES = 3

/**
 * `revops pull <source>`: pulls from the vendor API into the local lake, incrementally from the
 * saved watermarks, and prints per entity what landed, what had landed before (duplicate), what
 * went to quarantine, and how each watermark moved. Tokens come from the environment (or the
 * Secrets Manager secret named by REVOPS_SECRET_ARN). A pull that cannot finish keeps its
 * watermarks, says why, and exits non-zero; running it again continues where it stopped.
 */
export async function pull(
  ctx: CliContext,
  args: string[],
  options: Record<string, unknown>,
): Promise<number> {
  const source = parseSource(args[0] ?? '')
  const load = PULLS[source]
  if (load === undefined) {
    throw new UserError(`${source} has no vendor API to pull from`, {
      hint: `land its files instead: revops land ${source} --from <folder>`,
    })
  }
  const store = new LocalLakeStore(ctx.paths.lake)
  let summary: PullSummary
  try {
    summary = await runPull(await load(), {
      store,
      // The command's environment: tokens and PULL_* settings.
      env: process.env,
      fullRefresh: options.fullRefresh === true,
      onProgress: (message) => ctx.progress(message),
    })
  } catch (error) {
    if (error instanceof LakeStoreError) {
      throw new UserError(`pull stopped: ${error.message}`, {
        hint: 're-run the same command: what landed stays, and the pull continues where it stopped',
        cause: error,
      })
    }
    throw error
  }
  if (ctx.json) writeJson(ctx.stdout, summary)
  else ctx.stdout.write(formatSummary(summary))
  if (summary.status !== 'complete') {
    ctx.stderr.write(`revops: pull ${summary.status === 'failed' ? 'failed' : 'stopped'}: ${summary.error}\n`)
    ctx.stderr.write(
      'hint: watermarks moved only for finished windows; run the same pull again to continue\n',
    )
    return 1
  }
  return 0
}

function formatSummary(summary: PullSummary): string {
  const rows = summary.entities.map((e) => [
    `${summary.source}/${e.entity}`,
    e.landed,
    e.duplicate,
    e.quarantined,
    `${e.watermark_before ?? '(none)'} → ${e.watermark_after ?? '(none)'}`,
  ])
  rows.push(['total', summary.totals.landed, summary.totals.duplicate, summary.totals.quarantined, ''])
  const r = summary.requests
  const lines = [
    `pulled ${summary.source} into ${summary.lake} (${summary.run_id}): ${summary.status}`,
    formatTable(['entity', 'landed', 'duplicate', 'quarantined', 'watermark'], rows),
    `requests: ${r.calls} (retried ${r.retries}, rate limited ${r.rate_limited})`,
  ]
  if (summary.quarantine.length > 0) {
    lines.push(`quarantined (records with reasons under quarantine/source=${summary.source}/):`)
    for (const reason of summary.quarantine) {
      const examples = reason.examples
        .slice(0, EXAMPLES)
        .map((e) => `${e.file}${e.line === null ? '' : `:${e.line}`} ${e.reason}`)
      const more = reason.count > examples.length ? '; …' : ''
      lines.push(`  ${reason.reason_class} (${reason.count}): ${examples.join('; ')}${more}`)
    }
  }
  for (const note of summary.notes) lines.push(`note: ${note}`)
  return `${lines.join('\n')}\n`
}
