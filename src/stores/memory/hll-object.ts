/**
 * A HyperLogLog value being written, in the encoding Redis 7.0 would have it in: new HLLs are
 * sparse (createHLLObject) and become dense (hllSparseToDense) when hllSparseSet gives up — a
 * register above 32, or a sparse string over hll-sparse-max-bytes — or when PFMERGE has a dense
 * input. Dense registers are set as hllDenseSet does (only ever raised).
 */
import {
  checkHll,
  corruptHll,
  denseFrom,
  getRegister,
  HLL_REGISTERS,
  invalidateCache,
  mergeInto,
  setRegister,
} from './hll-encoding.js'
import { SparseHll } from './hll-sparse.js'

export class HllObject {
  /** Set once dense; sparse until then. */
  #dense: Buffer | undefined
  #sparse: SparseHll | undefined

  private constructor(dense: Buffer | undefined, sparse: SparseHll | undefined) {
    this.#dense = dense
    this.#sparse = sparse
  }

  /** createHLLObject: an empty sparse HLL. */
  static create(): HllObject {
    return new HllObject(undefined, new SparseHll())
  }

  /** The HLL stored as `bytes` (WRONGTYPE unless valid). Dense bytes are updated in place. */
  static of(bytes: Buffer): HllObject {
    return checkHll(bytes) ? new HllObject(bytes, undefined) : new HllObject(undefined, new SparseHll(bytes))
  }

  /** hllSparseSet / hllDenseSet: raises register `index` to `count`; true when it changed. */
  set(index: number, count: number): boolean {
    if (this.#sparse !== undefined) {
      const result = this.#sparse.set(index, count)
      if (result === 'corrupt') throw corruptHll()
      if (result !== 'promote') return result === 'updated'
      this.toDense()
    }
    const dense = this.#dense!
    if (count <= getRegister(dense, index)) return false
    setRegister(dense, index, count)
    return true
  }

  /** hllSparseToDense: the same registers and header (cached cardinality too), dense. */
  toDense(): void {
    if (this.#sparse === undefined) return
    const sparse = this.#sparse.bytes()
    const registers = new Uint8Array(HLL_REGISTERS)
    mergeInto(registers, sparse, false) // INVALIDOBJ unless it describes exactly 16384 registers
    this.#dense = denseFrom(registers, sparse)
    this.#sparse = undefined
  }

  /** HLL_INVALIDATE_CACHE. */
  invalidateCache(): void {
    if (this.#sparse !== undefined) this.#sparse.invalidateCache()
    else invalidateCache(this.#dense!)
  }

  /** The HLL's bytes in its current encoding. */
  bytes(): Buffer {
    return this.#sparse !== undefined ? this.#sparse.bytes() : this.#dense!
  }
}
