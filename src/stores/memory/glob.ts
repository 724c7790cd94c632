/**
 * Redis glob matching (stringmatchlen): `*`, `?`, `[abc]`, `[^a]`, `[a-z]`, `\x`. Matching is
 * done on UTF-8 bytes, as Redis does, by comparing the latin1 view of both sides.
 */

const cache = new Map<string, RegExp>()
const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/-]/g

function bytes(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: checking for any non-ASCII char
  return /[^\u0000-\u007f]/.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s
}

function literal(ch: string): string {
  return ch.replace(REGEX_SPECIAL, '\\$&')
}

function compile(pattern: string): RegExp {
  const p = bytes(pattern)
  let out = '^'
  for (let i = 0; i < p.length; i++) {
    const ch = p[i]!
    if (ch === '*') out += '[\\s\\S]*'
    else if (ch === '?') out += '[\\s\\S]'
    else if (ch === '\\' && i + 1 < p.length) out += literal(p[++i]!)
    else if (ch === '[') {
      let j = i + 1
      let negate = false
      if (p[j] === '^') {
        negate = true
        j++
      }
      let cls = ''
      while (j < p.length && p[j] !== ']') {
        if (p[j] === '\\' && j + 1 < p.length) {
          cls += literal(p[j + 1]!)
          j += 2
        } else if (p[j + 1] === '-' && j + 2 < p.length) {
          // as stringmatchlen: any 3 chars `x-y` are a range, even `b-]` (the ']' is then its end)
          let a = p[j]!
          let b = p[j + 2]!
          if (a > b) [a, b] = [b, a] // Redis accepts reversed ranges
          cls += `${literal(a)}-${literal(b)}`
          j += 3
        } else cls += literal(p[j++]!)
      }
      // an unterminated class runs to the end of the pattern, as in Redis
      out += cls === '' ? (negate ? '[\\s\\S]' : '(?!)') : `[${negate ? '^' : ''}${cls}]`
      i = j
    } else out += literal(ch)
  }
  return new RegExp(`${out}$`)
}

/** True when `subject` matches the Redis glob `pattern`. */
export function globMatch(pattern: string, subject: string): boolean {
  let re = cache.get(pattern)
  if (!re) {
    re = compile(pattern)
    if (cache.size > 1000) cache.clear()
    cache.set(pattern, re)
  }
  return re.test(bytes(subject))
}
