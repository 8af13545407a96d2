import { createServer, type IncomingMessage } from 'node:http'
import type { Engine } from '../../core/engines/engine.js'
import { UserError } from '../../core/errors.js'
import { handleMetricApi } from '../../semantic/http/metric-api.js'
import { projectCatalog } from '../../semantic/project.js'
import type { CliContext } from '../context.js'
import { readBuildInfo } from '../warehouse-state.js'

const MAX_BODY = 1_000_000

/** `revops serve [--port P]`: the metric API on 127.0.0.1, the same handler as the Lambda function URL. */
export async function serve(
  ctx: CliContext,
  options: { port?: string },
  signal?: AbortSignal,
): Promise<number> {
  const port = Number(options.port ?? 8787)
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UserError(`--port must be 0–65535, not ${options.port}`)
  const catalog = projectCatalog()
  let engine: Engine | undefined
  const context = {
    catalog,
    schemaPrefix: ctx.schemaPrefix,
    engine: async () => {
      engine ??= await ctx.openEngine({ readOnly: true })
      return engine
    },
    build: () => readBuildInfo(ctx.paths.artifacts),
  }
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const body = await readBody(req)
      const response = await handleMetricApi(
        {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          ...(body ? { body } : {}),
        },
        context,
      )
      res.writeHead(response.status, response.headers).end(response.body)
    })().catch(() => res.writeHead(500).end())
  })
  await new Promise<void>((resolve, reject) =>
    server.once('error', reject).listen(port, '127.0.0.1', resolve),
  )
  const address = server.address()
  const bound = typeof address === 'object' && address ? address.port : port
  ctx.stdout.write(
    `metric API on http://127.0.0.1:${bound} (GET /metrics, GET|POST /query); Ctrl-C stops it\n`,
  )
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve())
    signal?.addEventListener('abort', stop, { once: true })
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await engine?.close()
  return 0
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  if (req.method !== 'POST') return undefined
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) throw new UserError('request body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}
