/**
 * What a JavaScript twin needs to mirror Lua exactly where plain JavaScript differs:
 * Lua 5.1's `tonumber` on a string (strtod: hex, inf, nan, surrounding whitespace, stops at NUL)
 * and the text Redis 7.0 gives Lua for a double reply (ZSCORE, ZINCRBY: printf "%.17g").
 * Script twins import these so that they compute exactly what their Lua computes.
 */

const SPACE = '[ \\t\\n\\v\\f\\r]'
const NUMBER = new RegExp(
  `^${SPACE}*([+-]?)(?:(infinity|inf)|(nan)(?:\\([0-9a-z_]*\\))?|0x([0-9a-f]*)(?:\\.([0-9a-f]*))?(?:p([+-]?\\d+))?|(\\d*(?:\\.\\d*)?)(?:e[+-]?\\d+)?)`,
  'i',
)
const TRAILING = new RegExp(`^${SPACE}*$`)

function hexValue(int: string, fraction: string, exponent: string | undefined): number {
  const digits = int + fraction
  const scale = Number(exponent ?? 0) - 4 * fraction.length
  const mantissa = Number(BigInt(`0x${digits}`))
  return mantissa * 2 ** scale
}

/** Lua 5.1 `tonumber(s)` for a string, as Redis's Lua (strtod) computes it; null for nil. */
export function luaToNumber(text: string): number | null {
  const s = text.split('\0')[0]! // Lua hands strtod a C string
  const m = NUMBER.exec(s)
  if (!m) return null
  const [matched, sign, inf, nan, hexInt, hexFraction, hexExponent, decimal] = m
  const negative = sign === '-'
  let value: number
  if (inf) value = Number.POSITIVE_INFINITY
  else if (nan) value = Number.NaN
  else if (hexInt !== undefined && (hexInt + (hexFraction ?? '')).length > 0) {
    value = hexValue(hexInt, hexFraction ?? '', hexExponent)
  } else if (hexInt !== undefined) {
    return null // "0x" without digits: strtod stops after the 0 and Lua rejects the "x"
  } else {
    if (!decimal || decimal === '.') return null
    value = Number(matched.slice(matched.indexOf(decimal)).replace(/^[+-]/, ''))
  }
  if (!TRAILING.test(s.slice(matched.length))) return null
  return negative ? -value : value
}

const trimZeros = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s)

/** A double as Redis 7.0 replies it in RESP2 (and so as Lua sees it): printf "%.17g", inf, -inf. */
export function formatDouble(n: number): string {
  if (n === Number.POSITIVE_INFINITY) return 'inf'
  if (n === Number.NEGATIVE_INFINITY) return '-inf'
  if (Number.isNaN(n)) return 'nan'
  if (n === 0) return Object.is(n, -0) ? '-0' : '0'
  const [digits, exponentText] = n.toExponential(16).split('e') as [string, string]
  const exponent = Number(exponentText)
  if (exponent < -4 || exponent >= 17) {
    return `${trimZeros(digits)}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`
  }
  return trimZeros(n.toFixed(16 - exponent))
}
