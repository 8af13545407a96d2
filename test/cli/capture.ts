import { PassThrough } from 'node:stream'
import { type CliContext, createContext } from '../../cli/context.js'

/**
 * The CLI's output streams, captured: what a command wrote to stdout and stderr, and a context
 * on a warehouse folder to call a command directly. `tty` makes stderr look like a terminal,
 * which turns progress lines on.
 */
export function capture(options: { tty?: boolean; json?: boolean } = {}) {
  const stdout = new PassThrough()
  const stderr = Object.assign(new PassThrough(), { isTTY: options.tty ?? false })
  const out: string[] = []
  const err: string[] = []
  stdout.on('data', (d) => out.push(String(d)))
  stderr.on('data', (d) => err.push(String(d)))
  const streams = { stdout, stderr, env: {} }
  return {
    streams,
    out: () => out.join(''),
    err: () => err.join(''),
    ctx: (dir: string, json = options.json ?? false): CliContext => createContext({ dir, json }, streams),
  }
}
