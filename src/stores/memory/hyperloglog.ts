/**
 * Memory store: PFADD, PFCOUNT, PFMERGE with Redis 7.0's exact algorithm (MurmurHash64A, 16384
 * registers, the Redis 5+ estimator) on Redis's string format, written the way Redis writes it
 * (sparse while small, then dense), so counts and GET bytes equal Redis's and the bytes can be
 * copied between the two stores in either direction. HLLs are string entries.
 */
import type { HyperLogLogCommands } from '../types.js'
import { cacheCardinality, cachedCardinality, checkHll, HLL_REGISTERS, mergeInto } from './hll-encoding.js'
import { estimate, patLen } from './hll-estimate.js'
import { HllObject } from './hll-object.js'
import type { Entry, Keyspace } from './keyspace.js'
import type { StringValue } from './strings.js'
import type { Sync } from './sync.js'

export function hyperLogLogCommands(ks: Keyspace): Sync<HyperLogLogCommands> {
  const bytesOf = (entry: Entry<StringValue>): Buffer =>
    typeof entry.value === 'string' ? Buffer.from(entry.value) : entry.value

  /** Stores `bytes` as the value of `key`: in place when it exists (the TTL is kept). */
  function store(key: string, entry: Entry<StringValue> | undefined, bytes: Buffer): void {
    if (entry === undefined) ks.put(key, 'string', bytes, bytes.length)
    else {
      entry.value = bytes
      ks.resize(key, entry, bytes.length)
    }
  }

  /** Registers of the union of `keys` (missing keys are empty HLLs); `dense` if any input is. */
  function union(keys: readonly string[]): { max: Uint8Array; dense: boolean } {
    const max = new Uint8Array(HLL_REGISTERS)
    let dense = false
    for (const key of keys) {
      const entry = ks.read<StringValue>(key, 'string')
      if (entry === undefined) continue
      const bytes = bytesOf(entry)
      const isDense = checkHll(bytes)
      dense ||= isDense
      mergeInto(max, bytes, isDense)
    }
    return { max, dense }
  }

  return {
    pfadd: (key, elements) => {
      const entry = ks.read<StringValue>(key, 'string')
      const hll = entry === undefined ? HllObject.create() : HllObject.of(bytesOf(entry))
      let updated = entry === undefined
      try {
        for (const element of elements) {
          const { index, count } = patLen(element)
          if (hll.set(index, count)) updated = true
        }
      } catch (error) {
        // a corrupt sparse HLL: like Redis, keep the registers set before the error
        if (updated) store(key, entry, hll.bytes())
        throw error
      }
      if (!updated) return false
      hll.invalidateCache()
      store(key, entry, hll.bytes())
      return true
    },
    pfcount: (keys) => {
      if (keys.length > 1) return estimate(union(keys).max)
      const key = keys[0]!
      const entry = ks.read<StringValue>(key, 'string')
      if (entry === undefined) return 0
      const bytes = bytesOf(entry)
      const dense = checkHll(bytes)
      const cached = cachedCardinality(bytes)
      if (cached !== undefined) return cached
      const registers = new Uint8Array(HLL_REGISTERS)
      mergeInto(registers, bytes, dense)
      const count = estimate(registers)
      // like Redis, PFCOUNT writes the cardinality it computed back into the header
      cacheCardinality(bytes, count)
      store(key, entry, bytes)
      return count
    },
    pfmerge: (destination, sources) => {
      // Redis merges the destination's own registers too (it is the first key of PFMERGE)
      const { max, dense } = union([destination, ...sources])
      const entry = ks.read<StringValue>(destination, 'string')
      const hll = entry === undefined ? HllObject.create() : HllObject.of(bytesOf(entry))
      // the destination stays sparse unless an input was dense (or setting the registers promotes it)
      if (dense) hll.toDense()
      for (let i = 0; i < HLL_REGISTERS; i++) if (max[i] !== 0) hll.set(i, max[i]!)
      hll.invalidateCache()
      store(destination, entry, hll.bytes())
    },
  }
}
