import type { Window } from './metric.js'

/**
 * A derived metric's formula as plain data. References name other metrics, optionally shifted
 * (`lag`), smoothed (`rolling_avg`) or evaluated over a trailing window (`trailing`).
 */
export type Formula =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'ref'; readonly metric: string; readonly modifier?: RefModifier }
  | {
      readonly kind: 'binary'
      readonly op: '+' | '-' | '*' | '/'
      readonly left: Formula
      readonly right: Formula
    }
  | { readonly kind: 'negate'; readonly arg: Formula }
  | { readonly kind: 'abs'; readonly arg: Formula }

export type RefModifier =
  | { readonly kind: 'lag'; readonly periods: number }
  | { readonly kind: 'rolling_avg'; readonly periods: number }
  | { readonly kind: 'trailing'; readonly window: Window }

type Token = { type: 'num'; value: number } | { type: 'id'; value: string } | { type: 'sym'; value: string }

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  const re = /\s*(?:(\d+(?:\.\d+)?)|([a-z][a-z0-9_]*)|([-+*/(),]))/gy
  let match: RegExpExecArray | null
  let at = 0
  // biome-ignore lint/suspicious/noAssignInExpressions: the classic sticky-regex scan loop
  while ((match = re.exec(text)) !== null && match[0].length > 0) {
    if (match[1] !== undefined) tokens.push({ type: 'num', value: Number(match[1]) })
    else if (match[2] !== undefined) tokens.push({ type: 'id', value: match[2] })
    else tokens.push({ type: 'sym', value: match[3] as string })
    at = re.lastIndex
  }
  if (text.slice(at).trim() !== '')
    throw new Error(`unexpected ${JSON.stringify(text.slice(at).trim()[0])} at ${at}`)
  return tokens
}

/** Parses a formula; throws with the position of the first problem. */
export function parseFormula(text: string): Formula {
  const tokens = tokenize(text)
  let i = 0
  const peek = () => tokens[i]
  const expectSym = (s: string) => {
    const t = tokens[i++]
    if (t?.type !== 'sym' || t.value !== s)
      throw new Error(`expected "${s}" in formula ${JSON.stringify(text)}`)
  }
  const integer = (): number => {
    const t = tokens[i++]
    if (t?.type !== 'num' || !Number.isInteger(t.value) || t.value < 1) {
      throw new Error(`expected a positive whole number in formula ${JSON.stringify(text)}`)
    }
    return t.value
  }
  const metricName = (): string => {
    const t = tokens[i++]
    if (t?.type !== 'id') throw new Error(`expected a metric id in formula ${JSON.stringify(text)}`)
    return t.value
  }

  const expression = (): Formula => {
    let left = term()
    for (let t = peek(); t?.type === 'sym' && (t.value === '+' || t.value === '-'); t = peek()) {
      i++
      left = { kind: 'binary', op: t.value, left, right: term() }
    }
    return left
  }
  const term = (): Formula => {
    let left = unary()
    for (let t = peek(); t?.type === 'sym' && (t.value === '*' || t.value === '/'); t = peek()) {
      i++
      left = { kind: 'binary', op: t.value, left, right: unary() }
    }
    return left
  }
  const unary = (): Formula => {
    const t = peek()
    if (t?.type === 'sym' && t.value === '-') {
      i++
      return { kind: 'negate', arg: unary() }
    }
    return primary()
  }
  const primary = (): Formula => {
    const t = tokens[i++]
    if (t === undefined) throw new Error(`formula ${JSON.stringify(text)} ends too early`)
    if (t.type === 'num') return { kind: 'number', value: t.value }
    if (t.type === 'sym') {
      if (t.value !== '(') throw new Error(`unexpected "${t.value}" in formula ${JSON.stringify(text)}`)
      const inner = expression()
      expectSym(')')
      return inner
    }
    const next = peek()
    if (next?.type !== 'sym' || next.value !== '(') return { kind: 'ref', metric: t.value }
    i++
    return call(t.value)
  }
  const call = (name: string): Formula => {
    switch (name) {
      case 'abs': {
        const arg = expression()
        expectSym(')')
        return { kind: 'abs', arg }
      }
      case 'lag':
      case 'rolling_avg': {
        const metric = metricName()
        let periods = 1
        if (peek()?.type === 'sym' && peek()?.value === ',') {
          i++
          periods = integer()
        }
        expectSym(')')
        return { kind: 'ref', metric, modifier: { kind: name, periods } }
      }
      case 'trailing': {
        const metric = metricName()
        expectSym(',')
        const count = integer()
        expectSym(',')
        const unit = metricName()
        if (unit !== 'month' && unit !== 'day')
          throw new Error(`trailing() unit must be month or day, not ${unit}`)
        expectSym(')')
        return { kind: 'ref', metric, modifier: { kind: 'trailing', window: { count, unit } } }
      }
      default:
        throw new Error(`unknown function ${name}() in formula ${JSON.stringify(text)}`)
    }
  }

  const result = expression()
  if (i < tokens.length)
    throw new Error(`unexpected "${String(tokens[i]?.value)}" in formula ${JSON.stringify(text)}`)
  return result
}

/** Every metric a formula references. */
export function formulaRefs(formula: Formula): { metric: string; modifier?: RefModifier }[] {
  switch (formula.kind) {
    case 'number':
      return []
    case 'ref':
      return [formula]
    case 'binary':
      return [...formulaRefs(formula.left), ...formulaRefs(formula.right)]
    case 'negate':
    case 'abs':
      return formulaRefs(formula.arg)
  }
}
