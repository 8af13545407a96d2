import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request as a fake vendor saw it. */
export interface SeenRequest {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  /** The request target as sent (path and query, not decoded). */
  readonly raw: string
  readonly headers: IncomingMessage['headers']
  readonly body: string
}

/** A scripted failure: the next `times` requests that match get this answer instead. */
export interface Fault {
  readonly match?: (request: SeenRequest) => boolean
  /** HTTP status; `'reset'` drops the connection without an answer. */
  readonly status: number | 'reset'
  readonly headers?: Record<string, string>
  readonly body?: unknown
  times: number
}

export interface JsonAnswer {
  readonly status?: number
  readonly headers?: Record<string, string>
  readonly body: unknown
}

/**
 * The plumbing the loopback vendor fakes share: an HTTP server on 127.0.0.1 (port 0) that records
 * every request, answers scripted faults first, and otherwise asks the vendor's router. `outage`
 * makes every request after the first `n` answered ones fail, like a vendor going away mid-run.
 */
export class FakeHttp {
  readonly requests: SeenRequest[] = []
  private readonly faults: Fault[] = []
  private readonly server: Server
  private outageAfter: { answered: number; fault: Omit<Fault, 'times'> } | undefined
  private answered = 0
  url = ''
  /** Called with every request before it is answered (to change vendor data mid-run). */
  onRequest: ((request: SeenRequest) => void) | undefined

  constructor(private readonly route: (request: SeenRequest) => JsonAnswer | Promise<JsonAnswer>) {
    this.server = createServer((req, res) => {
      void this.handle(req, res)
    })
  }

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1')
    await once(this.server, 'listening')
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  get port(): number {
    return Number(new URL(this.url).port)
  }

  fail(fault: Fault): void {
    this.faults.push(fault)
  }

  /** Every request after `answered` more successful answers fails with `fault` until `recover()`. */
  outage(
    answered: number,
    fault: Omit<Fault, 'times'> = { status: 503, body: { error: 'unavailable' } },
  ): void {
    this.outageAfter = { answered: this.answered + answered, fault }
  }

  recover(): void {
    this.outageAfter = undefined
    this.faults.length = 0
  }

  /** Requests seen whose path matches. */
  seen(path: RegExp | string): SeenRequest[] {
    return this.requests.filter((r) => (typeof path === 'string' ? r.path === path : path.test(r.path)))
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const url = new URL(req.url ?? '/', 'http://fake')
    const request: SeenRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      raw: req.url ?? '/',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    }
    this.requests.push(request)
    this.onRequest?.(request)
    const fault =
      this.outageAfter && this.answered >= this.outageAfter.answered
        ? { ...this.outageAfter.fault, times: 1 }
        : this.takeFault(request)
    if (fault !== undefined) {
      if (fault.status === 'reset') {
        req.socket.destroy()
        return
      }
      send(res, { status: fault.status, headers: fault.headers ?? {}, body: fault.body ?? {} })
      return
    }
    let answer: JsonAnswer
    try {
      answer = await this.route(request)
    } catch (error) {
      answer = { status: 500, body: { error: String(error) } }
    }
    if ((answer.status ?? 200) < 400) this.answered += 1
    send(res, answer)
  }

  private takeFault(request: SeenRequest): Fault | undefined {
    const index = this.faults.findIndex((f) => f.times > 0 && (f.match?.(request) ?? true))
    if (index < 0) return undefined
    const fault = this.faults[index] as Fault
    fault.times -= 1
    if (fault.times === 0) this.faults.splice(index, 1)
    return fault
  }
}

function send(res: ServerResponse, answer: JsonAnswer): void {
  const text = JSON.stringify(answer.body)
  res.writeHead(answer.status ?? 200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...answer.headers,
  })
  res.end(text)
}
