/**
 * Key building: `<prefix><module>:<parts…>`. User-supplied parts never reach a glob unescaped,
 * and keys that one script touches share a `{hash tag}` so that scripts are Cluster-safe.
 */
import { invalidArgument } from '../errors.js'

const GLOB_SPECIAL = /[\\*?[\]]/g

/** Escapes `\ * ? [ ]` so that `s` matches only itself in SCAN MATCH or PSUBSCRIBE. */
export function escapeGlob(s: string): string {
  return s.replace(GLOB_SPECIAL, '\\$&')
}

/** Wraps `s` in a hash tag. Braces inside `s` are refused: they would change the tag. */
export function hashTag(s: string): string {
  if (s.includes('{') || s.includes('}')) {
    throw invalidArgument(`a hash-tagged key part may not contain '{' or '}' (got ${JSON.stringify(s)})`)
  }
  return `{${s}}`
}

/** Checks a user-supplied key part: a non-empty string. */
export function keyPart(part: unknown, what = 'key'): string {
  if (typeof part !== 'string' || part.length === 0) {
    throw invalidArgument(`${what} must be a non-empty string (got ${describe(part)})`)
  }
  return part
}

/** A short description of a value for error messages (never the value itself if it is long). */
export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'string')
    return value.length > 40 ? `a string of ${value.length} chars` : JSON.stringify(value)
  if (typeof value === 'number') return String(value)
  if (Array.isArray(value)) return 'an array'
  return typeof value
}

/** Builds keys under one prefix and module: `keys.key('user', id)` → `app:cache:user:42`. */
export interface KeyBuilder {
  readonly base: string
  key(...parts: string[]): string
  /** A SCAN MATCH pattern for `glob` (already escaped where it is user input) under the base. */
  pattern(glob: string): string
}

export function createKeyBuilder(prefix: string, module: string): KeyBuilder {
  const base = `${prefix}${module}:`
  return {
    base,
    key: (...parts) => base + parts.join(':'),
    pattern: (glob) => escapeGlob(base) + glob,
  }
}
