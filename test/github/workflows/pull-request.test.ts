import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { z } from 'zod'
import { buildProgram } from '../../../cli/main.js'
import type { MetricDiff } from '../../../semantic/metric-diff.js'
import { MetricSnapshot } from '../../../semantic/metric-snapshot.js'

const project = fileURLToPath(new URL('../../../', import.meta.url))
const workflowText = readFileSync(join(project, '.github/workflows/pull-request.yml'), 'utf8')
const packageJson = z
  .object({ scripts: z.record(z.string(), z.string()) })
  .parse(JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')))

/** The part of GitHub's workflow syntax this project uses; anything else in the file is a mistake. */
const Step = z
  .strictObject({
    name: z.string().optional(),
    id: z.string().optional(),
    if: z.string().optional(),
    uses: z.string().optional(),
    with: z.record(z.string(), z.string()).optional(),
    run: z.string().optional(),
    'working-directory': z.string().optional(),
    env: z.record(z.string(), z.string()).optional(),
  })
  .refine((s) => (s.uses === undefined) !== (s.run === undefined), 'a step either uses an action or runs')
const Permissions = z.record(z.string(), z.enum(['read', 'write', 'none']))
const Job = z.strictObject({
  name: z.string(),
  'runs-on': z.string(),
  container: z.string().optional(),
  'timeout-minutes': z.number().int().positive(),
  permissions: Permissions.optional(),
  env: z.record(z.string(), z.string()).optional(),
  steps: z.array(Step).min(1),
})
const Workflow = z.strictObject({
  name: z.string(),
  on: z.strictObject({ pull_request: z.strictObject({ branches: z.array(z.string()) }) }),
  permissions: Permissions,
  concurrency: z.strictObject({ group: z.string(), 'cancel-in-progress': z.boolean() }),
  defaults: z.strictObject({ run: z.strictObject({ shell: z.literal('bash') }) }),
  jobs: z.strictObject({ check: Job, 'metric-diff': Job }),
})
const workflow = Workflow.parse(parse(workflowText))
const checkJob = workflow.jobs.check
const diffJob = workflow.jobs['metric-diff']

const program = buildProgram({} as never, () => {})
const globalOptions = program.options.map((o) => o.long)

/** Every `npx revops …` line of a script: the command and the options it passes. */
function revopsCalls(script: string) {
  return [...script.matchAll(/npx revops ([a-z-]+)([^\n|>&;]*)/g)].map((m) => ({
    command: m[1] as string,
    options: [...(m[2] ?? '').matchAll(/(?:^|\s)(--[a-z-]+)/g)].map((o) => o[1] as string),
  }))
}

describe('the pull-request workflow', () => {
  it('checks the definitions and runs the test suite on every pull request', () => {
    expect(workflow.on.pull_request.branches).toEqual(['main'])
    expect(workflow.permissions).toEqual({ contents: 'read' })
    expect(checkJob.steps[0]?.uses).toBe('actions/checkout@v4')
    expect(checkJob.steps.map((s) => s.run).filter(Boolean)).toEqual([
      'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium',
      'npm ci',
      'npx revops check',
      'npm test',
    ])
    expect(checkJob.container).toBe('node:20-bookworm')
  })

  it('checks out the base and the head side by side, and may comment on the pull request', () => {
    const checkouts = diffJob.steps.filter((s) => s.uses?.startsWith('actions/checkout@'))
    expect(checkouts.map((s) => s.with)).toEqual([
      { path: 'head' },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, kept as text
      { ref: '${{ github.event.pull_request.base.sha }}', path: 'base' },
    ])
    expect(diffJob.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' })
    const runs = diffJob.steps.map((s) => s.run ?? '').join('\n')
    expect(runs).toContain('npx revops demo --scale "$REVOPS_DEMO_SCALE"')
    expect(runs).toContain('npx revops snapshot --out ../before.json')
    expect(runs).toContain('npx revops snapshot --out ../after.json')
    expect(runs).toContain('npx revops diff ../before.json ../after.json --format markdown')
  })

  it('runs only commands the CLI and package.json have, with options they take', () => {
    const scripts = [...checkJob.steps, ...diffJob.steps].flatMap((s) => (s.run ? [s.run] : []))
    const calls = scripts.flatMap(revopsCalls)
    expect(calls.map((c) => c.command)).toEqual(expect.arrayContaining(['check', 'demo', 'snapshot', 'diff']))
    for (const call of calls) {
      const command = program.commands.find((c) => c.name() === call.command)
      expect(command, call.command).toBeDefined()
      const known = [...(command?.options.map((o) => o.long) ?? []), ...globalOptions, '--help']
      for (const option of call.options) expect(known, `${call.command} ${option}`).toContain(option)
    }
    for (const script of scripts)
      for (const [, verb, name] of script.matchAll(/\bnpm (run )?([a-z:-]+)/g)) {
        if (!verb && (name === 'ci' || name === 'install')) continue
        expect(Object.keys(packageJson.scripts), `npm ${verb ?? ''}${name}`).toContain(name)
      }
  })

  it('uses actions pinned to a major version, and passes untrusted names to scripts through env only', () => {
    const actions = [...checkJob.steps, ...diffJob.steps].flatMap((s) => (s.uses ? [s.uses] : []))
    for (const action of actions) expect(action).toMatch(/^actions\/[a-z-]+@v\d+$/)
    for (const step of [...checkJob.steps, ...diffJob.steps]) expect(step.run ?? '').not.toContain('${{')
    const expressions = [...workflowText.matchAll(/\$\{\{\s*(.+?)\s*\}\}/g)].map((m) => m[1])
    expect(new Set(expressions)).toEqual(
      new Set([
        'github.event.pull_request.number',
        'github.event.pull_request.base.sha',
        'github.base_ref',
        'github.head_ref',
      ]),
    )
  })
})

// The metric-diff job's scripts run for real here, in bash, on a workspace of two copies of this
// project: `base` as it is, and `head` with one metric's definition changed — what a pull request
// does. Steps that use actions cannot run offline: checkout is the copy, `npm ci` is a link to
// this project's node_modules, the artifact upload is skipped, and the comment script runs
// against a stand-in for GitHub's REST client (no real GitHub can answer here), to show it posts
// the markdown once and then updates that same comment.
const exec = promisify(execFile)
const workspace = mkdtempSync(join(tmpdir(), 'revops-workflow-'))
afterAll(() => rmSync(workspace, { recursive: true, force: true }))

const SKIPPED = new Set(['node_modules', '.git', '.revops', 'cdk.out', 'test', 'coverage', '.github'])
function checkout(path: string) {
  cpSync(project, join(workspace, path), {
    recursive: true,
    filter: (source) => !SKIPPED.has(source.slice(project.length).split('/')[0] ?? ''),
  })
  symlinkSync(join(project, 'node_modules'), join(workspace, path, 'node_modules'), 'dir')
}

const context = {
  github: {
    base_ref: 'main',
    head_ref: 'billed-revenue-smb-only',
    repository: 'acme/revops',
    event: {
      pull_request: { number: 7, base: { sha: 'abc' }, head: { repo: { full_name: 'acme/revops' } } },
    },
  } as Record<string, unknown>,
  steps: {} as Record<string, { outputs: Record<string, string> }>,
}

function lookup(path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], context)
}

/** `${{ a.b }}` in env values, and `if:` conditions of the form `x == 'v' && y != z`. */
function substitute(text: string): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_m, path: string) => String(lookup(path) ?? ''))
}
function condition(text: string): boolean {
  return text.split('&&').every((clause) => {
    const match = /^\s*([\w.]+|'[^']*')\s*(==|!=)\s*([\w.]+|'[^']*')\s*$/.exec(clause)
    if (!match) throw new Error(`condition the test cannot read: ${clause}`)
    const value = (operand: string) =>
      operand.startsWith("'") ? operand.slice(1, -1) : String(lookup(operand) ?? '')
    const equal = value(match[1] as string) === value(match[3] as string)
    return match[2] === '==' ? equal : !equal
  })
}

describe('the metric-diff job, run on a pull request that changes a metric', () => {
  const summary = join(workspace, 'summary.md')
  const logs: string[] = []
  const skipped: string[] = []
  let commentScript = ''

  beforeAll(async () => {
    checkout('base')
    checkout('head')
    const definitions = join(workspace, 'head', 'semantic/metrics/billing.ts')
    const text = readFileSync(definitions, 'utf8')
    const changed = text.replace(
      "measure: 'invoices.billed_revenue',",
      "measure: 'invoices.billed_revenue',\n    where: [{ dimension: 'segment', op: '=', value: 'smb' }],",
    )
    expect(changed).not.toBe(text)
    writeFileSync(definitions, changed)
    writeFileSync(summary, '')

    for (const [i, step] of diffJob.steps.entries()) {
      if (step.if !== undefined && !condition(step.if)) continue
      if (step.uses) {
        if (step.uses.startsWith('actions/github-script@')) commentScript = step.with?.script ?? ''
        else skipped.push(step.uses)
        continue
      }
      if (step.run === 'npm ci') {
        skipped.push(`${step['working-directory']}: npm ci`)
        continue
      }
      const output = join(workspace, `output-${i}`)
      writeFileSync(output, '')
      const env = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...Object.fromEntries(
          Object.entries({ ...diffJob.env, ...step.env }).map(([k, v]) => [k, substitute(v)]),
        ),
        // Smaller than CI's demo company, to keep the suite quick; the job's code path is the same.
        REVOPS_DEMO_SCALE: '0.1',
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: summary,
      }
      const script = join(workspace, `step-${i}.sh`)
      writeFileSync(script, step.run ?? '')
      const result = await exec('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd: join(workspace, step['working-directory'] ?? '.'),
        env,
        maxBuffer: 64 * 1024 * 1024,
      }).catch((error: { code: number; stdout: string; stderr: string }) => {
        throw new Error(`step "${step.name}" failed (${error.code}): ${error.stderr.slice(-2000)}`)
      })
      logs.push(result.stdout)
      if (step.id) {
        const outputs = Object.fromEntries(
          readFileSync(output, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => line.split('=', 2) as [string, string]),
        )
        context.steps[step.id] = { outputs }
      }
    }
  }, 600_000)

  it('snapshots both sides, and runs every script step', () => {
    expect(context.steps).toEqual({
      base: { outputs: { snapshot: 'true' } },
      head: { outputs: { answered: 'true' } },
    })
    expect(skipped).toEqual([
      'actions/checkout@v4',
      'actions/checkout@v4',
      'base: npm ci',
      'head: npm ci',
      'actions/upload-artifact@v4',
    ])
    for (const file of ['before.json', 'after.json', 'metric-diff.json', 'metric-diff.md'])
      expect(existsSync(join(workspace, file)), file).toBe(true)
  })

  it('shows exactly the values the changed definition moves, and nothing else', () => {
    const diff = JSON.parse(readFileSync(join(workspace, 'metric-diff.json'), 'utf8')) as MetricDiff
    expect(diff.added).toEqual([])
    expect(diff.removed).toEqual([])
    expect(diff.metrics.map((m) => m.metric)).toEqual(['billed_revenue'])
    expect(new Set(diff.changes.map((c) => c.metric))).toEqual(new Set(['billed_revenue']))

    const before = MetricSnapshot.parse(JSON.parse(readFileSync(join(workspace, 'before.json'), 'utf8')))
    const [total, cells] = before.metrics.find((m) => m.id === 'billed_revenue')?.cuts ?? []
    const smb = new Map<string, number>()
    for (const r of cells?.rows ?? [])
      if (r.segment === 'smb') smb.set(String(r.period), (smb.get(String(r.period)) ?? 0) + Number(r.value))
    const movedTotals = (total?.rows ?? []).filter(
      (r) => Math.abs(Number(r.value) - (smb.get(String(r.period)) ?? 0)) > 1e-6,
    )
    const goneCells = (cells?.rows ?? []).filter((r) => r.segment !== 'smb')
    expect(diff.changes.filter((c) => Object.keys(c.dimensions).length === 0).map((c) => c.period)).toEqual(
      movedTotals.map((r) => r.period),
    )
    expect(
      diff.changes
        .filter((c) => Object.keys(c.dimensions).length > 0)
        .map((c) => [c.period, c.dimensions.segment, c.dimensions.region, c.before, c.after]),
    ).toEqual(goneCells.map((r) => [r.period, r.segment, r.region, r.value, null]))
  })

  it('prints the table in the log and the markdown in the job summary', () => {
    expect(logs.join('')).toMatch(/^metric\s+period\s+dimensions\s+main\s+billed-revenue-smb-only\s+change$/m)
    const markdown = readFileSync(join(workspace, 'metric-diff.md'), 'utf8')
    expect(readFileSync(summary, 'utf8')).toBe(markdown)
    expect(markdown.startsWith('### Metric diff (`main` → `billed-revenue-smb-only`)\n')).toBe(true)
    expect(markdown).toContain('values changed but version 1.0.0 was not bumped')
  })

  it('posts the markdown as one comment, updated on the next push', async () => {
    expect(commentScript).not.toBe('')
    const comments: { id: number; body: string }[] = []
    const calls: string[] = []
    const github = {
      paginate: async (list: () => unknown) => list(),
      rest: {
        issues: {
          listComments: () => [{ id: 1, body: 'looks good' }, ...comments],
          createComment: async ({ issue_number, body }: { issue_number: number; body: string }) => {
            calls.push(`create on #${issue_number}`)
            comments.push({ id: 100 + comments.length, body })
          },
          updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
            calls.push(`update ${comment_id}`)
            const comment = comments.find((c) => c.id === comment_id)
            if (comment) comment.body = body
          },
        },
      },
    }
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
      ...args: string[]
    ) => (...values: unknown[]) => Promise<void>
    const run = new AsyncFunction('require', 'github', 'context', commentScript)
    const ghContext = { repo: { owner: 'acme', repo: 'revops' }, payload: context.github.event }
    // The script runs in the workspace folder on GitHub: its relative reads resolve there.
    const load = createRequire(import.meta.url)
    const requireIn = (id: string) =>
      id === 'node:fs'
        ? {
            readFileSync: (path: string, encoding: 'utf8') =>
              readFileSync(resolve(workspace, path), encoding),
          }
        : load(id)
    await run(requireIn, github, ghContext)
    await run(requireIn, github, ghContext)
    expect(calls).toEqual(['create on #7', 'update 100'])
    expect(comments).toHaveLength(1)
    expect(comments[0]?.body).toBe(
      `<!-- revops metric diff -->\n${readFileSync(join(workspace, 'metric-diff.md'), 'utf8')}`,
    )
  })
})
