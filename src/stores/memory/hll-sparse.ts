/**
 * Redis's SPARSE HyperLogLog encoding, written exactly as Redis 7.0 does (hyperloglog.c): the
 * 16-byte header followed by run-length opcodes — ZERO 00xxxxxx (1..64 zero registers), XZERO
 * 01xxxxxx yyyyyyyy (1..16384 zero registers), VAL 1vvvvvxx (1..4 registers of value 1..32).
 * createHLLObject's layout, hllSparseSet's in-place splitting of the opcode covering a register
 * and its "merge adjacent VAL opcodes" pass, and the conditions under which Redis promotes the
 * HLL to the dense encoding instead (a value above 32, or more than hll-sparse-max-bytes).
 */
import { HLL_HEADER_SIZE, HLL_REGISTERS } from './hll-encoding.js'

const HLL_SPARSE = 1
const ZERO_MAX_LEN = 64
const XZERO_MAX_LEN = 16384
const VAL_MAX_LEN = 4
const VAL_MAX_VALUE = 32
/** Redis's default `hll-sparse-max-bytes`: a longer sparse HLL (header included) becomes dense. */
export const HLL_SPARSE_MAX_BYTES = 3000
/** hllSparseSet grows the string by at most 3 bytes (XZERO split into XZERO VAL XZERO). */
const MAX_GROWTH = 3
const STALE_BYTE = 15

const isXZero = (op: number): boolean => (op & 0xc0) === 0x40
const isZero = (op: number): boolean => (op & 0xc0) === 0x00
const isVal = (op: number): boolean => (op & 0x80) !== 0
const valValue = (op: number): number => ((op >>> 2) & 0x1f) + 1
const valLen = (op: number): number => (op & 0x3) + 1
const valOp = (value: number, len: number): number => 0x80 | ((value - 1) << 2) | (len - 1)

/** ZERO when `len` fits one, else XZERO (the split step of hllSparseSet). */
function pushZeros(seq: number[], len: number): void {
  if (len > ZERO_MAX_LEN) seq.push(0x40 | ((len - 1) >>> 8), (len - 1) & 0xff)
  else seq.push(len - 1)
}

/**
 * The outcome of hllSparseSet: the register was already at least `count` ('unchanged'), it was
 * raised in place ('updated'), Redis would convert to dense and set it there ('promote'), or no
 * opcode covers it ('corrupt').
 */
export type SparseSetResult = 'unchanged' | 'updated' | 'promote' | 'corrupt'

/** A sparse HLL being edited in a buffer with spare room, like the sds string Redis grows. */
export class SparseHll {
  #buf: Buffer
  #len: number

  /** Wraps a copy of sparse `bytes`, or creates an empty HLL as createHLLObject does. */
  constructor(bytes?: Buffer) {
    if (bytes !== undefined) {
      this.#len = bytes.length
      this.#buf = Buffer.alloc(bytes.length + MAX_GROWTH + 1)
      bytes.copy(this.#buf)
      return
    }
    const xzeros = Math.ceil(HLL_REGISTERS / XZERO_MAX_LEN)
    this.#len = HLL_HEADER_SIZE + xzeros * 2
    this.#buf = Buffer.alloc(this.#len + MAX_GROWTH + 1)
    this.#buf.write('HYLL', 0, 'latin1')
    this.#buf[4] = HLL_SPARSE
    let p = HLL_HEADER_SIZE
    for (let left = HLL_REGISTERS; left > 0; p += 2) {
      const run = Math.min(XZERO_MAX_LEN, left)
      this.#buf[p] = 0x40 | ((run - 1) >>> 8)
      this.#buf[p + 1] = (run - 1) & 0xff
      left -= run
    }
  }

  /** The HLL's bytes, exactly as long as the encoding. */
  bytes(): Buffer {
    return Buffer.from(this.#buf.subarray(0, this.#len))
  }

  /** hllSparseSet: raises register `index` to `count` in the sparse encoding. */
  set(index: number, count: number): SparseSetResult {
    if (count > VAL_MAX_VALUE) return 'promote'
    this.#makeRoom()
    const b = this.#buf
    let end = this.#len
    // Step 1: find the opcode covering `index`
    let p = HLL_HEADER_SIZE
    let first = 0
    let prev = -1
    let span = 0
    let oplen = 1
    while (p < end) {
      const op = b[p]!
      oplen = 1
      if (isZero(op)) span = (op & 0x3f) + 1
      else if (isVal(op)) span = valLen(op)
      else {
        span = (((op & 0x3f) << 8) | b[p + 1]!) + 1
        oplen = 2
      }
      if (index <= first + span - 1) break
      prev = p
      p += oplen
      first += span
    }
    if (span === 0 || p >= end) return 'corrupt'
    const op = b[p]!
    // Step 2: the trivial in-place cases, else split the opcode into up to 3 (5 bytes)
    if (isVal(op)) {
      if (valValue(op) >= count) return 'unchanged'
      if (span === 1) {
        b[p] = valOp(count, 1)
        return this.#updated(prev, end)
      }
    }
    if (isZero(op) && span === 1) {
      b[p] = valOp(count, 1)
      return this.#updated(prev, end)
    }
    const last = first + span - 1
    const seq: number[] = []
    if (isVal(op)) {
      const current = valValue(op)
      if (index !== first) seq.push(valOp(current, index - first))
      seq.push(valOp(count, 1))
      if (index !== last) seq.push(valOp(current, last - index))
    } else {
      if (index !== first) pushZeros(seq, index - first)
      seq.push(valOp(count, 1))
      if (index !== last) pushZeros(seq, last - index)
    }
    // Step 3: replace the old opcode with the sequence, unless that makes the HLL too long
    const delta = seq.length - oplen
    if (delta > 0 && this.#len + delta > HLL_SPARSE_MAX_BYTES) return 'promote'
    if (delta !== 0 && p + oplen < end) b.copyWithin(p + oplen + delta, p + oplen, end)
    this.#resize(this.#len + delta)
    for (let i = 0; i < seq.length; i++) b[p + i] = seq[i]!
    end += delta
    return this.#updated(prev, end)
  }

  /** Step 4 of hllSparseSet: merge adjacent VAL opcodes of equal value, from `prev` on. */
  #updated(prev: number, end: number): 'updated' {
    const b = this.#buf
    let p = prev >= 0 ? prev : HLL_HEADER_SIZE
    let scan = 5 // at most 5 opcodes
    while (p < end && scan-- > 0) {
      const op = b[p]!
      if (isXZero(op)) {
        p += 2
        continue
      }
      if (isZero(op)) {
        p++
        continue
      }
      if (p + 1 < end && isVal(b[p + 1]!) && valValue(op) === valValue(b[p + 1]!)) {
        const len = valLen(op) + valLen(b[p + 1]!)
        if (len <= VAL_MAX_LEN) {
          b[p + 1] = valOp(valValue(op), len)
          b.copyWithin(p, p + 1, end)
          this.#resize(this.#len - 1)
          end--
          continue // the merged opcode may merge with the next one too
        }
      }
      p++
    }
    this.invalidateCache()
    return 'updated'
  }

  /** HLL_INVALIDATE_CACHE: set the top bit of the cached cardinality. */
  invalidateCache(): void {
    this.#buf[STALE_BYTE] = this.#buf[STALE_BYTE]! | 0x80
  }

  /** sdsMakeRoomFor(3): room for the longest split and the 0 after the end (the sds terminator). */
  #makeRoom(): void {
    if (this.#len + MAX_GROWTH + 1 <= this.#buf.length) return
    const grown = Buffer.alloc(Math.max(this.#len + MAX_GROWTH + 1, this.#buf.length * 2))
    this.#buf.copy(grown, 0, 0, this.#len)
    this.#buf = grown
  }

  /** Sets the length within the room made, keeping the terminator. */
  #resize(len: number): void {
    this.#len = len
    this.#buf[len] = 0
  }
}
