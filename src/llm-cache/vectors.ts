/**
 * Embeddings as the semantic layer keeps them: unit-length float32 vectors (so cosine similarity
 * is a dot product), stored in Redis as raw little-endian bytes (4 per dimension, never base64),
 * and searched in process by brute force over a bounded set.
 */
import { invalidArgument } from '../errors.js'

const MAX_DIMENSIONS = 16_384

/** A unit-length copy of an embedding; throws a typed error for what is not one. */
export function toUnitVector(embedding: unknown): Float32Array {
  const length = (embedding as ArrayLike<number> | null)?.length
  if (typeof length !== 'number' || length === 0 || length > MAX_DIMENSIONS) {
    throw invalidArgument(
      `semantic.embed must return an array of 1 to ${MAX_DIMENSIONS} numbers (got ${length === undefined ? typeof embedding : `${length} numbers`})`,
    )
  }
  const source = embedding as ArrayLike<number>
  const v = new Float32Array(length)
  let sum = 0
  for (let i = 0; i < length; i++) {
    const x = source[i]!
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw invalidArgument(`semantic.embed returned a non-finite number at ${i}; return finite numbers only`)
    }
    v[i] = x
    sum += x * x
  }
  if (sum === 0) return v
  const scale = 1 / Math.sqrt(sum)
  for (let i = 0; i < length; i++) v[i]! *= scale
  return v
}

/** The vector's bytes (float32 little-endian), as stored. */
export function vectorBytes(v: Float32Array): Buffer {
  const out = Buffer.allocUnsafe(v.length * 4)
  for (let i = 0; i < v.length; i++) out.writeFloatLE(v[i]!, i * 4)
  return out
}

/** A vector from its stored bytes; undefined when they are not a whole number of floats. */
export function vectorFrom(bytes: Buffer | null): Float32Array | undefined {
  if (bytes === null || bytes.length === 0 || bytes.length % 4 !== 0) return undefined
  const v = new Float32Array(bytes.length / 4)
  for (let i = 0; i < v.length; i++) v[i] = bytes.readFloatLE(i * 4)
  return v
}

/** Cosine similarity of two unit vectors of the same length (-1 … 1); -Infinity if lengths differ. */
export function similarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.NEGATIVE_INFINITY
  let dot = 0
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!
  return dot
}
