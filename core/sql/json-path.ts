/** A JSON path as keys and array indexes, e.g. `['lines', 'data', 0, 'amount']`, or its dotted short form `'lines.data.0.amount'`. */
export type JsonPath = string | readonly (string | number)[]

const SAFE_KEY = /^[^"'\\]+$/

/** Splits and validates a path; keys may hold dots only in the array form (`['segments.date']`). */
export function jsonPathSteps(path: JsonPath): (string | number)[] {
  const steps =
    typeof path === 'string' ? path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)) : [...path]
  if (steps.length === 0) throw new Error('empty JSON path')
  for (const step of steps) {
    if (typeof step === 'number' ? !Number.isInteger(step) || step < 0 : !SAFE_KEY.test(step)) {
      throw new Error(`unsafe JSON path step ${JSON.stringify(step)}`)
    }
  }
  return steps
}
