import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const NAME = /^[a-z][a-z0-9-]*$/

/**
 * The entry file of a Lambda handler, `handlers/<name>/handler.ts`, as an absolute path (so a
 * NodejsFunction bundles the same file whatever the working directory). Fails synth, naming the
 * path, when the handler does not exist.
 */
export function handlerEntry(name: string, root: URL = new URL('../', import.meta.url)): string {
  if (!NAME.test(name)) throw new Error(`invalid handler name ${JSON.stringify(name)}: use kebab-case`)
  const path = fileURLToPath(new URL(`handlers/${name}/handler.ts`, root))
  if (!existsSync(path)) throw new Error(`no Lambda handler at ${path}`)
  return path
}
