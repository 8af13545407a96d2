import { z } from 'zod'
import type { CliContext } from '../context.js'
import { formatTable, writeJson } from '../output.js'
import { parseOptions } from './build.js'

export const PromoteCommandOptions = z.object({ to: z.string().default('prod') })
export type PromoteCommandOptions = z.input<typeof PromoteCommandOptions>

/**
 * `revops promote <from> --to prod`: the target environment's views now read the builds the
 * source environment shows. Nothing is rebuilt or copied, so what was tested in `dev_alice` is
 * exactly what `prod` (and every governed metric view over its marts) answers from.
 */
export async function promote(
  ctx: CliContext,
  args: readonly string[],
  raw: PromoteCommandOptions,
): Promise<number> {
  const from = args[0] ?? ''
  const { to } = parseOptions(PromoteCommandOptions, raw)
  const [framework, engine] = await Promise.all([
    import('../../transforms/framework/index.js'),
    ctx.openEngine(),
  ])
  try {
    const target = new framework.Target(engine)
    const state = await framework.StateStore.open(target)
    const pointers = await framework.promote(target, state, from, to)
    if (ctx.json) writeJson(ctx.stdout, { from, to, models: pointers })
    else {
      ctx.stdout.write(
        `${formatTable(
          ['model', 'layer', 'physical'],
          pointers.map((p) => [p.model, p.layer, p.physical]),
        )}\n${pointers.length} models of ${from} promoted to ${to}\n`,
      )
    }
    return 0
  } finally {
    await engine.close()
  }
}

/**
 * `revops janitor`: drops the builds no environment shows any more (superseded by newer builds
 * or left by a failed one). Only objects the framework recorded creating are candidates.
 */
export async function janitor(ctx: CliContext): Promise<number> {
  const [framework, engine] = await Promise.all([
    import('../../transforms/framework/index.js'),
    ctx.openEngine(),
  ])
  try {
    const target = new framework.Target(engine)
    const dropped = await framework.janitor(target, await framework.StateStore.open(target))
    if (ctx.json) writeJson(ctx.stdout, { dropped: dropped.map((o) => ({ name: o.name, kind: o.kind })) })
    else {
      if (dropped.length > 0) {
        ctx.stdout.write(
          `${formatTable(
            ['dropped', 'kind'],
            dropped.map((o) => [o.name, o.kind]),
          )}\n`,
        )
      }
      ctx.stdout.write(`${dropped.length} unused builds dropped\n`)
    }
    return 0
  } finally {
    await engine.close()
  }
}
