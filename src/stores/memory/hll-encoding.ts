/**
 * Redis's HyperLogLog string format (hyperloglog.c): a 16-byte header ("HYLL", encoding byte,
 * 3 unused bytes, 8-byte little-endian cached cardinality whose top bit marks it stale) followed
 * by the registers, DENSE (16384 × 6 bits, packed as HLL_DENSE_GET/SET_REGISTER do) or SPARSE
 * (ZERO / XZERO / VAL run-length opcodes, written by hll-sparse.ts). Reading both, dense writes.
 */
import { RedisKitError } from '../../errors.js'

export const HLL_P = 14
export const HLL_Q = 64 - HLL_P
export const HLL_REGISTERS = 1 << HLL_P
export const HLL_HEADER_SIZE = 16
export const HLL_DENSE_SIZE = HLL_HEADER_SIZE + (HLL_REGISTERS * 6) / 8
const HLL_DENSE = 0
const HLL_SPARSE = 1
const REGISTER_MAX = 63
const CARD_OFFSET = 8
const STALE_BYTE = CARD_OFFSET + 7

export function notHll(): RedisKitError {
  return new RedisKitError('WRONGTYPE', 'WRONGTYPE Key is not a valid HyperLogLog string value.')
}

export function corruptHll(): RedisKitError {
  return new RedisKitError('COMMAND_ERROR', 'INVALIDOBJ Corrupted HLL object detected')
}

/** Checks the bytes as isHLLObjectOrReply does; true when they are dense, false when sparse. */
export function checkHll(bytes: Buffer): boolean {
  if (bytes.length < HLL_HEADER_SIZE || bytes.toString('latin1', 0, 4) !== 'HYLL') throw notHll()
  const encoding = bytes[4]!
  if (encoding === HLL_DENSE && bytes.length === HLL_DENSE_SIZE) return true
  if (encoding === HLL_SPARSE) return false
  throw notHll()
}

/** An empty dense HLL: header only, every register zero, cached cardinality 0 (valid). */
function emptyDense(): Buffer {
  const bytes = Buffer.alloc(HLL_DENSE_SIZE)
  bytes.write('HYLL', 0, 'latin1')
  return bytes
}

export function getRegister(bytes: Buffer, index: number): number {
  const bit = index * 6
  const at = HLL_HEADER_SIZE + (bit >>> 3)
  const shift = bit & 7
  // the byte after the last register is the sds terminator (0) in Redis
  return ((bytes[at]! >>> shift) | ((bytes[at + 1] ?? 0) << (8 - shift))) & REGISTER_MAX
}

export function setRegister(bytes: Buffer, index: number, value: number): void {
  const bit = index * 6
  const at = HLL_HEADER_SIZE + (bit >>> 3)
  const shift = bit & 7
  bytes[at] = (bytes[at]! & ~(REGISTER_MAX << shift)) | (value << shift)
  if (at + 1 < bytes.length) {
    bytes[at + 1] = (bytes[at + 1]! & ~(REGISTER_MAX >>> (8 - shift))) | (value >>> (8 - shift))
  }
}

/**
 * Raises each of `max`'s registers to the HLL's (hllMerge). Throws INVALIDOBJ when a sparse
 * encoding does not describe exactly 16384 registers.
 */
export function mergeInto(max: Uint8Array, bytes: Buffer, dense: boolean): void {
  if (dense) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const value = getRegister(bytes, i)
      if (value > max[i]!) max[i] = value
    }
    return
  }
  let index = 0
  for (let p = HLL_HEADER_SIZE; p < bytes.length; p++) {
    const op = bytes[p]!
    if ((op & 0xc0) === 0x00)
      index += (op & 0x3f) + 1 // ZERO: 00xxxxxx
    else if ((op & 0xc0) === 0x40)
      index += (((op & 0x3f) << 8) | (bytes[++p] ?? 0)) + 1 // XZERO
    else {
      // VAL: 1vvvvvxx
      const run = (op & 0x3) + 1
      const value = ((op >>> 2) & 0x1f) + 1
      if (index + run > HLL_REGISTERS) throw corruptHll()
      for (let end = index + run; index < end; index++) if (value > max[index]!) max[index] = value
    }
  }
  if (index !== HLL_REGISTERS) throw corruptHll()
}

/** A dense HLL holding `registers`, keeping the header (and cached cardinality) of `header`. */
export function denseFrom(registers: Uint8Array, header?: Buffer): Buffer {
  const bytes = emptyDense()
  header?.copy(bytes, 0, 0, HLL_HEADER_SIZE)
  bytes[4] = HLL_DENSE
  for (let i = 0; i < HLL_REGISTERS; i++) if (registers[i] !== 0) setRegister(bytes, i, registers[i]!)
  return bytes
}

/** The cached cardinality, or undefined when the stale bit is set. */
export function cachedCardinality(bytes: Buffer): number | undefined {
  if ((bytes[STALE_BYTE]! & 0x80) !== 0) return undefined
  return Number(bytes.readBigUInt64LE(CARD_OFFSET))
}

export function cacheCardinality(bytes: Buffer, cardinality: number): void {
  bytes.writeBigUInt64LE(BigInt(cardinality), CARD_OFFSET)
}

/** HLL_INVALIDATE_CACHE: set the top bit of the cached cardinality, keeping the other bits. */
export function invalidateCache(bytes: Buffer): void {
  bytes[STALE_BYTE] = bytes[STALE_BYTE]! | 0x80
}
