/**
 * The canonical form of a request: one JSON text for every spelling of the same request. Object
 * keys are sorted, strings (keys too) are Unicode NFC, `undefined`, functions and symbols are left
 * out, `-0` is `0`, Dates are ISO strings, bytes are their SHA-256 (never inlined), objects with
 * `toJSON` are what it returns. Cycles and prompts past the size cap fail with typed errors.
 */
import { createHash } from 'node:crypto'
import { invalidArgument, RedisKitError } from '../errors.js'

const MAX_DEPTH = 64

/** Builds the canonical JSON of `value`; throws VALUE_TOO_LARGE past `maxChars` characters. */
export function canonicalJson(value: unknown, maxChars: number, what = 'the prompt'): string {
  const out: string[] = []
  let length = 0
  const stack = new Set<object>()
  const push = (s: string) => {
    length += s.length
    if (length > maxChars) throw tooLarge(what, maxChars)
    out.push(s)
  }

  const write = (v: unknown, depth: number): boolean => {
    switch (typeof v) {
      case 'string':
        push(JSON.stringify(v.normalize('NFC')))
        return true
      case 'number':
        push(Number.isFinite(v) ? String(Object.is(v, -0) ? 0 : v) : JSON.stringify(String(v)))
        return true
      case 'boolean':
        push(v ? 'true' : 'false')
        return true
      case 'bigint':
        push(JSON.stringify(`${v}n`))
        return true
      case 'undefined':
      case 'function':
      case 'symbol':
        return false
    }
    if (v === null) {
      push('null')
      return true
    }
    if (depth > MAX_DEPTH) {
      throw invalidArgument(`${what} nests deeper than ${MAX_DEPTH} levels; pass a smaller request`)
    }
    const obj = v as object
    if (obj instanceof Date) {
      push(JSON.stringify(Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString()))
      return true
    }
    if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) {
      const bytes =
        obj instanceof ArrayBuffer
          ? new Uint8Array(obj)
          : new Uint8Array(obj.buffer, obj.byteOffset, obj.byteLength)
      push(`{"$bytes":"${createHash('sha256').update(bytes).digest('base64url')}"}`)
      return true
    }
    if (stack.has(obj)) {
      throw invalidArgument(
        `${what} contains a cycle; leave that field out of the key (option fields.exclude) or pass plain data`,
      )
    }
    const toJSON = (obj as { toJSON?: unknown }).toJSON
    if (typeof toJSON === 'function') {
      stack.add(obj)
      const written = write(toJSON.call(obj), depth + 1)
      stack.delete(obj)
      return written
    }
    stack.add(obj)
    if (Array.isArray(obj)) {
      push('[')
      for (let i = 0; i < obj.length; i++) {
        if (i > 0) push(',')
        if (!write(obj[i], depth + 1)) push('null')
      }
      push(']')
    } else if (obj instanceof Map) {
      writeObject(Object.fromEntries([...obj].map(([k, val]) => [String(k), val])), depth)
    } else if (obj instanceof Set) {
      write([...obj], depth)
    } else {
      writeObject(obj as Record<string, unknown>, depth)
    }
    stack.delete(obj)
    return true
  }

  const writeObject = (obj: Record<string, unknown>, depth: number) => {
    const keys = Object.keys(obj)
      .map((k) => [k.normalize('NFC'), k] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    push('{')
    let first = true
    for (const [norm, key] of keys) {
      const val = obj[key]
      if (val === undefined || typeof val === 'function' || typeof val === 'symbol') continue
      if (!first) push(',')
      push(`${JSON.stringify(norm)}:`)
      write(val, depth + 1)
      first = false
    }
    push('}')
  }

  if (!write(value, 0)) push('null')
  const text = out.join('')
  if (Buffer.byteLength(text) > maxChars) throw tooLarge(what, maxChars)
  return text
}

function tooLarge(what: string, max: number): RedisKitError {
  return new RedisKitError(
    'VALUE_TOO_LARGE',
    `${what} is over maxPromptBytes (${max} bytes in its canonical form); shorten it, or raise maxPromptBytes in createLLMCache`,
  )
}

/** SHA-256 of a text, base64url (43 characters); `length` keeps only the first characters. */
export function digest(text: string, length = 43): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, length)
}
