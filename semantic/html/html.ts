/** Markup that is already safe to insert: produced by `html` or deliberately trusted (`raw`). */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text
  }
}

type Value = SafeHtml | string | number | boolean | null | undefined | readonly Value[]

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string)
}

/**
 * A template tag that escapes every interpolated value unless it is `SafeHtml`, so names and
 * descriptions from definitions can never break the page. Arrays are joined; null/undefined/false vanish.
 */
export function html(strings: TemplateStringsArray, ...values: readonly Value[]): SafeHtml {
  let out = strings[0] ?? ''
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '')
  })
  return new SafeHtml(out)
}

/** Trusts markup made elsewhere (e.g. a server-rendered SVG chart). */
export function raw(text: string): SafeHtml {
  return new SafeHtml(text)
}

function render(value: Value): string {
  if (value instanceof SafeHtml) return value.text
  if (Array.isArray(value)) return value.map(render).join('')
  if (value === null || value === undefined || value === false) return ''
  return escapeHtml(String(value))
}
