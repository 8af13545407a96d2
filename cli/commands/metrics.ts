import { projectCatalog } from '../../semantic/project.js'
import type { CliContext } from '../context.js'
import { formatTable, writeJson } from '../output.js'

/** `revops metrics [--json]`: the governed metrics with owner, description, unit and status. */
export async function metrics(ctx: CliContext): Promise<number> {
  const catalog = projectCatalog()
  const rows = catalog.metrics.map((m) => ({
    id: m.id,
    label: m.label,
    owner: m.owner,
    unit: m.unit,
    status: m.status,
    version: m.version,
    type: m.type,
    policy: m.policy ?? null,
    description: m.description,
  }))
  if (ctx.json) {
    writeJson(ctx.stdout, { metrics: rows })
    return 0
  }
  ctx.stdout.write(
    `${formatTable(
      ['id', 'owner', 'unit', 'status', 'description'],
      rows.map((r) => [
        r.id,
        r.owner,
        r.unit,
        r.status,
        r.description.length > 90 ? `${r.description.slice(0, 87)}...` : r.description,
      ]),
    )}\n`,
  )
  return 0
}
