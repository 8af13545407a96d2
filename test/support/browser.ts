import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium, type Page } from 'playwright-core'

/** The Debian `chromium` package; CI installs it (.ci/run), and browser tests skip without it. */
export const CHROMIUM_PATH = '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

/** Why browser tests cannot run here, or undefined when Chromium is installed. */
export const chromiumMissing: string | undefined = existsSync(CHROMIUM_PATH)
  ? undefined
  : `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (install the Debian package: apt-get install -y chromium)`

if (chromiumMissing) console.warn(chromiumMissing)

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
}

/** Screenshots for people to look at (gitignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../.artifacts/', import.meta.url))

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true })
  return `${ARTIFACTS_DIR}${name}`
}

/**
 * Records what must never happen on an offline page: console errors, uncaught exceptions,
 * failed requests, and any request that is not for the file itself or a `data:` URI.
 */
export function watchPage(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`))
  page.on('request', (r) => {
    if (!/^(file|data):/.test(r.url())) problems.push(`network request: ${r.url()}`)
  })
  return problems
}
