/**
 * A faster path to the kit's codec format for session data (plain objects, arrays, Dates, bytes:
 * what sessions hold). The codec calls a replacer and a reviver for every key; here the data is
 * walked once in plain JavaScript and handed to JSON.stringify / JSON.parse without callbacks.
 * The output is byte for byte the codec's (test/sessions/json.test.ts proves it), and anything
 * unusual — class instances, toJSON, Maps, NaN, cycles, a `__proto__` key — goes to the codec
 * itself, which also produces its errors.
 */
import { decode, encode } from '../internal/codec.js'

const TAGGED = '\u0001'
const DATE_TAG = '\u0000d'
const BYTES_TAG = '\u0000b'
const MAX_DEPTH = 64
const UNUSUAL = Symbol('unusual')

type Walked = { tagged: boolean }

/** The value with Dates and bytes replaced by their tags (or itself when it has none); UNUSUAL otherwise. */
function walk(value: unknown, depth: number, state: Walked): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      return Number.isFinite(value) ? value : UNUSUAL
    case 'object':
      break
    default:
      return UNUSUAL
  }
  if (value === null) return value
  if (depth > MAX_DEPTH) return UNUSUAL
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const item = value[i]
      if (item === undefined) return UNUSUAL
      const out = walk(item, depth + 1, state)
      if (out === UNUSUAL) return UNUSUAL
      if (out !== item) (copy ??= value.slice())[i] = out
    }
    return copy ?? value
  }
  if (value instanceof Date) {
    const time = value.getTime()
    if (Number.isNaN(time)) return UNUSUAL
    state.tagged = true
    return { [DATE_TAG]: time }
  }
  if (value instanceof Uint8Array) {
    state.tagged = true
    return { [BYTES_TAG]: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') }
  }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return UNUSUAL
  let copy: Record<string, unknown> | undefined
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return UNUSUAL
    const item = (value as Record<string, unknown>)[key]
    if (item === undefined) continue
    const out = walk(item, depth + 1, state)
    if (out === UNUSUAL) return UNUSUAL
    if (out !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = out
  }
  return copy ?? value
}

/** The codec's encoding of session data (a string: data is never raw bytes at the top). */
export function encodeData(value: object): string {
  const state: Walked = { tagged: false }
  const walked = walk(value, 0, state)
  if (walked === UNUSUAL) return encode(value) as string
  const text = JSON.stringify(walked)
  return state.tagged ? TAGGED + text : text
}

const DROP = Symbol('drop')

/**
 * Mirrors JSON.parse with the codec's revivers, call for call: a value's children are revived
 * first, then the value is judged under its key — dropped when the key is `__proto__` (or
 * `constructor` holding a `prototype`), else turned from a tag into a Date or a Buffer.
 */
function revive(key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return key === '__proto__' ? DROP : value
  if (Array.isArray(value)) {
    // an index is never `__proto__` or `constructor`: only the objects in an array need a look
    for (let i = 0; i < value.length; i++) {
      const item = value[i]
      if (typeof item === 'object' && item !== null) value[i] = revive('', item)
    }
    return key === '__proto__' ? DROP : value
  }
  const record = value as Record<string, unknown>
  for (const k of Object.keys(record)) {
    const item = record[k]
    if (typeof item === 'object' && item !== null) {
      const out = revive(k, item)
      if (out === DROP) delete record[k]
      else if (out !== item) record[k] = out
    } else if (k === '__proto__') delete record[k]
  }
  if (key === '__proto__') return DROP
  if (key === 'constructor' && 'prototype' in record) return DROP
  if (DATE_TAG in record) return new Date(record[DATE_TAG] as number)
  if (BYTES_TAG in record) return Buffer.from(record[BYTES_TAG] as string, 'base64')
  return value
}

/** The codec's decoding of a stored string. */
export function decodeData(text: string): unknown {
  if (text.charCodeAt(0) === 1) return revive('', JSON.parse(text.slice(1)))
  return decode(text)
}
