import { Command, CommanderError, Option } from 'commander'
import { NotBuiltError, oneLine, UserError } from '../core/errors.js'
import { DIALECT_NAMES } from '../core/sql/dialect.js'
import { type CliContext, createContext, type GlobalOptions, type Streams } from './context.js'

/** Exit codes: 0 success, 1 failure (bad input, failed query, failed test), 2 usage or not available. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

type Action = (
  ctx: CliContext,
  args: string[],
  options: Record<string, unknown>,
) => Promise<number | undefined>

export function buildProgram(streams: Streams, onResult: (code: number) => void): Command {
  const program = new Command('revops')
    .description(
      'A metrics layer for Revenue Operations: land exports, build fact tables, answer governed KPIs.',
    )
    .addOption(
      new Option('--dir <folder>', 'the local warehouse folder (env REVOPS_DIR)').default(
        undefined,
        '.revops',
      ),
    )
    .addOption(
      new Option('--engine <engine>', 'the SQL engine').choices(DIALECT_NAMES).default(undefined, 'duckdb'),
    )
    .option('--json', 'machine-readable output')
    .showHelpAfterError('(run revops --help for usage)')
    .configureOutput({
      writeOut: (s) => streams.stdout.write(s),
      writeErr: (s) => streams.stderr.write(s),
    })
    .exitOverride()

  const add = (name: string, description: string, action: Action, configure?: (c: Command) => Command) => {
    const command = program.command(name).description(description).exitOverride()
    configure?.(command)
    command.action(async (...raw: unknown[]) => {
      const self = raw.at(-1) as Command
      const ctx = createContext(self.optsWithGlobals<GlobalOptions>(), streams)
      const args = self.args
      onResult((await action(ctx, args, self.opts())) ?? EXIT.ok)
    })
  }

  add(
    'demo',
    'generate the demo company, land, build, test, print the KPI scorecard and write the report',
    async (ctx, _a, o) => (await import('./commands/demo.js')).demo(ctx, o),
    (c) => c.option('--scale <n>', 'size of the demo company', '1').option('--seed <s>', 'random seed', '42'),
  )
  add(
    'land <source>',
    'land export files from a folder or file (stripe, salesforce, hubspot, ads, finance)',
    async (ctx, a, o) => (await import('./commands/land.js')).land(ctx, a, o),
    (c) => c.requiredOption('--from <path>', 'folder or file of vendor exports'),
  )
  add(
    'pull <source>',
    'pull from the vendor API, incrementally from the saved watermark (stripe, salesforce, hubspot, ads)',
    async (ctx, a, o) => (await import('./commands/pull.js')).pull(ctx, a, o),
    (c) => c.option('--full-refresh', 'read everything again from the beginning (Stripe: list every object)'),
  )
  add(
    'build',
    'build models and run their data tests',
    async (ctx, _a, o) => (await import('./commands/build.js')).build(ctx, o),
    (c) =>
      c
        .option('--select <selectors...>', 'model, model+ (downstream), +model (upstream), state:modified')
        .option('--full-refresh', 'rebuild incremental models from scratch')
        .option('--env <environment>', 'prod or dev_<name>', 'prod')
        .option('--threads <n>', 'models built at once', '4'),
  )
  add(
    'promote <from>',
    'point an environment at the builds another shows (e.g. dev_alice to prod), without rebuilding',
    async (ctx, a, o) => (await import('./commands/promote.js')).promote(ctx, a, o),
    (c) => c.option('--to <environment>', 'the environment to promote into', 'prod'),
  )
  add('janitor', 'drop the builds no environment shows any more', async (ctx) =>
    (await import('./commands/promote.js')).janitor(ctx),
  )
  add(
    'test',
    'run data tests and unit tests of models and metrics',
    async (ctx, _a, o) => (await import('./commands/test.js')).test(ctx, o),
    (c) =>
      c
        .option('--select <selectors...>', 'model, model+, +model, state:modified')
        .option('--env <environment>', 'prod or dev_<name>', 'prod'),
  )
  add(
    'compile',
    'write the SQL of every model and metric view without running it',
    async (ctx, _a, o) => (await import('./commands/compile.js')).compile(ctx, o),
    (c) =>
      c
        .addOption(new Option('--dialect <dialect>').choices(DIALECT_NAMES).default('duckdb'))
        .option('--out <folder>', 'output folder'),
  )
  add(
    'query <metrics>',
    'answer metrics from the semantic layer',
    async (ctx, a, o) => (await import('./commands/query.js')).query(ctx, a[0] as string, o),
    (c) =>
      c
        .option('--by <dims>', 'dimensions, comma-separated')
        .addOption(
          new Option('--grain <grain>').choices(['day', 'week', 'month', 'quarter', 'year']).default('month'),
        )
        .option('--from <date>', 'first day, YYYY-MM-DD')
        .option('--to <date>', 'last day, YYYY-MM-DD')
        .option('--where <filter...>', 'filters like "segment = smb"')
        .addOption(new Option('--format <format>').choices(['table', 'json', 'csv']).default('table'))
        .option(
          '--provenance',
          'also show the SQL, definition versions, policy and build behind the numbers',
        ),
  )
  add('metrics', 'list the governed metrics with owner, description, unit and status', async (ctx) =>
    (await import('./commands/metrics.js')).metrics(ctx),
  )
  add(
    'report <kind>',
    'write a report (retention)',
    async (ctx, a, o) => (await import('./commands/report.js')).report(ctx, a[0] as string, o as never),
    (c) =>
      c
        .requiredOption('--out <file>', 'output HTML file')
        .option('--from <date>', 'first month, YYYY-MM-DD (default: 24 months before --to)')
        .option('--to <date>', 'last day, YYYY-MM-DD (default: the end of the latest month with data)')
        .option('--by <dimension>', 'also break the numbers down by a customer dimension, e.g. segment'),
  )
  add(
    'serve',
    'serve the HTTP metric API on 127.0.0.1',
    async (ctx, _a, o) => (await import('./commands/serve.js')).serve(ctx, o),
    (c) => c.option('--port <port>', 'port', '8787'),
  )
  add('check', 'validate every model and metric definition (for pull requests)', async (ctx) =>
    (await import('./commands/check.js')).check(ctx),
  )
  add(
    'snapshot',
    'write every metric at month grain (in total and by its view dimensions) to a JSON file, for revops diff',
    async (ctx, _a, o) => (await import('./commands/snapshot.js')).snapshot(ctx, o as never),
    (c) => c.requiredOption('--out <file>', 'output JSON file'),
  )
  add(
    'diff <before> <after>',
    'the metric values that differ between two snapshots, and metrics added or removed',
    async (ctx, a, o) => (await import('./commands/diff.js')).diff(ctx, a, o),
    (c) =>
      c
        .addOption(new Option('--format <format>').choices(['table', 'json', 'markdown']).default('table'))
        .option('--limit <n>', 'changed values shown per metric and breakdown (default: all; markdown: 25)')
        .option('--before-name <name>', 'what to call the first snapshot, e.g. the base branch')
        .option('--after-name <name>', 'what to call the second snapshot, e.g. the pull request'),
  )
  add(
    'docs',
    'write the metric catalog and lineage as static HTML',
    async (ctx, _a, o) => (await import('./commands/docs.js')).docs(ctx, o as never),
    (c) => c.requiredOption('--out <folder>', 'output folder'),
  )
  return program
}

/** Runs the CLI and returns its exit code. Errors become one line on stderr. */
export async function runCli(argv: readonly string[], streams: Streams): Promise<number> {
  let code: number = EXIT.ok
  const program = buildProgram(streams, (c) => {
    code = c
  })
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return code
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; anything else commander rejects is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage
    }
    if (error instanceof UserError) {
      streams.stderr.write(`revops: ${oneLine(error)}\n`)
      if (error.hint) streams.stderr.write(`hint: ${error.hint}\n`)
      return error instanceof NotBuiltError ? EXIT.usage : EXIT.failed
    }
    streams.stderr.write(`revops: internal error: ${oneLine(error)}\n`)
    if (streams.env.REVOPS_DEBUG && error instanceof Error) streams.stderr.write(`${error.stack}\n`)
    return EXIT.failed
  }
}
