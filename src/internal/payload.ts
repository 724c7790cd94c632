/**
 * Payloads of the real-time primitives (stream entries, pub/sub messages): JSON-like values in
 * the kit's codec, checked against an optional zod schema before they are written. Reading
 * never fails on what another client wrote: text that is not the kit's JSON stays text.
 */
import { invalidArgument } from '../errors.js'
import { decode, encode } from './codec.js'

/** A zod schema (or anything with zod's `safeParse`). */
export interface PayloadSchema<T = unknown> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }
}

export function isSchema(value: unknown): value is PayloadSchema {
  return typeof (value as PayloadSchema | null)?.safeParse === 'function'
}

/** Validates `data` against `schema` (when given) and encodes it; INVALID_ARGUMENT otherwise. */
export function encodePayload(data: unknown, schema: PayloadSchema | undefined, where: string): string {
  let value = data
  if (schema) {
    const result = schema.safeParse(data)
    if (!result.success) {
      const issues = result.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
      throw invalidArgument(`${where}: the payload does not match the schema — ${issues.join('; ')}`)
    }
    value = result.data
  }
  if (isPlainJson(value, 0)) {
    try {
      return JSON.stringify(value) // the common case, without the codec's per-key replacer
    } catch {
      // a cycle: the codec reports it
    }
  }
  const encoded = encode(value)
  if (typeof encoded !== 'string') {
    throw invalidArgument(
      `${where}: the payload must be JSON-like data; wrap binary data in an object ({ bytes })`,
    )
  }
  return encoded
}

/**
 * Whether JSON.stringify alone encodes `value` exactly as the codec does: strings, booleans,
 * null, finite numbers, and arrays and plain objects of those (nothing the codec tags or refuses:
 * Dates, bytes, Maps, NaN, BigInt, class instances). Deep values take the codec's path.
 */
function isPlainJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      return Number.isFinite(value)
    case 'object': {
      if (value === null) return true
      if (depth > 32) return false
      if (Array.isArray(value)) {
        for (const item of value) if (!isPlainJson(item, depth + 1)) return false
        return true
      }
      const proto = Object.getPrototypeOf(value)
      if (proto !== Object.prototype && proto !== null) return false
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key]
        if (item !== undefined && !isPlainJson(item, depth + 1)) return false
      }
      return true
    }
    default:
      return false
  }
}

/** The value of an encoded payload; text that is not the kit's JSON is returned as it is. */
export function decodePayload(raw: string): unknown {
  try {
    return decode(raw)
  } catch {
    return raw
  }
}

/** The schema of `name` in `schemas`: by the exact name, else by its first part (`chat` for `chat:42`). */
export function schemaFor(schemas: Record<string, PayloadSchema>, name: string): PayloadSchema | undefined {
  const exact = schemas[name]
  if (exact) return exact
  const colon = name.indexOf(':')
  return colon === -1 ? undefined : schemas[name.slice(0, colon)]
}
